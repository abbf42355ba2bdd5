import Testing
@testable import NetBox

/// `ReservationConflicts.resolve` applies the precedence rule only to candidates that share a key with another
/// one. These pin that the result is the rule applied to every candidate in turn (the reference below, the
/// algorithm as it was before), including chains where a skipped candidate no longer blocks a third one.
struct ReservationConflictsTests {
    private func candidate(_ id: Int, _ ip: String, _ length: Int = 24, mac: UInt64, vrf: String? = nil,
                           reason: Reservation.Reason = .primary) -> Reservation {
        Reservation(ipID: id, ip: IPAddress(ip)!, prefixLength: length, mac: MACAddress(value: mac)!,
                    hostname: "h\(id)", dnsName: "", name: "h\(id)", kind: .device, interface: "eth0", vrf: vrf,
                    reason: reason)
    }

    /// The rule stated plainly: in precedence order, a candidate whose IP (in its VRF) or MAC (in its subnet and
    /// VRF) is taken already is skipped; the kept ones in canonical order.
    private func reference(_ candidates: [Reservation]) -> (kept: [Int], skipped: [Int]) {
        struct IPKey: Hashable { let vrf: String?; let ip: IPAddress }
        struct MACKey: Hashable { let vrf: String?; let subnet: IPPrefix?; let mac: MACAddress }
        var ips: Set<IPKey> = [], macs: Set<MACKey> = []
        var kept: [Reservation] = [], skipped: [Int] = []
        for c in candidates.sorted(by: { ($0.reason.rank, $0.ipID) < ($1.reason.rank, $1.ipID) }) {
            let ipKey = IPKey(vrf: c.vrf, ip: c.ip), macKey = MACKey(vrf: c.vrf, subnet: c.subnet, mac: c.mac)
            if ips.contains(ipKey) || macs.contains(macKey) {
                skipped.append(c.ipID)
                continue
            }
            ips.insert(ipKey)
            macs.insert(macKey)
            kept.append(c)
        }
        kept.sort { Snapshot.ReservationOrder($0) < Snapshot.ReservationOrder($1) }
        return (kept.map(\.ipID), skipped)
    }

    @Test func aCandidateSkippedForItsIPNoLongerBlocksAThirdOnesMAC() {
        // 2 loses its IP to 1; 3 shares 2's MAC and subnet, but 2 is out, so 3 stays.
        let candidates = [
            candidate(3, "192.0.2.30", mac: 0x22),
            candidate(1, "192.0.2.10", mac: 0x11),
            candidate(2, "192.0.2.10", mac: 0x22),
        ]
        let (kept, warnings) = ReservationConflicts.resolve(candidates)
        #expect(kept.map(\.ipID) == [1, 3])
        #expect(warnings.map(\.kind) == [.duplicateIP])
    }

    @Test func aPrimaryAddressWinsOverALowerIPIDOfAnotherReason() {
        let candidates = [
            candidate(1, "192.0.2.10", mac: 0x11, reason: .interface),
            candidate(2, "192.0.2.11", mac: 0x11, reason: .oob),
            candidate(3, "192.0.2.12", mac: 0x11, reason: .primary),
        ]
        let (kept, warnings) = ReservationConflicts.resolve(candidates)
        #expect(kept.map(\.ipID) == [3])
        #expect(warnings.map(\.kind) == [.duplicateMAC, .duplicateMAC])
        #expect(warnings.first?.message.contains("keeping IP id 3, skipping IP id 2") == true)
    }

    @Test func theSameMACInOtherSubnetsOrVRFsIsNoConflict() {
        let candidates = [
            candidate(1, "192.0.2.10", mac: 0x11),
            candidate(2, "198.51.100.10", mac: 0x11),
            candidate(3, "192.0.2.10", mac: 0x11, vrf: "red"),
            candidate(4, "192.0.2.20", 25, mac: 0x11),
        ]
        let (kept, warnings) = ReservationConflicts.resolve(candidates)
        #expect(kept.map(\.ipID) == [1, 3, 4, 2])
        #expect(warnings.isEmpty)
    }

    /// Thousands of candidates with many collisions (few IPs, few MACs, two VRFs, mixed reasons and masks), in
    /// a scrambled order: the same kept list and the same warnings, in order, as the reference.
    @Test(arguments: [1, 2, 3])
    func manyConflictsGiveTheReferenceResult(seed: UInt64) {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let reasons: [Reservation.Reason] = [.primary, .oob, .interface]
        let candidates = (1...3000).map { id in
            candidate(id, "10.0.\(next(4)).\(next(200))", [24, 24, 16][next(3)], mac: UInt64(1 + next(400)),
                      vrf: next(3) == 0 ? "red" : nil, reason: reasons[next(3)])
        }.sorted { ($0.mac.value, $0.ipID % 7) < ($1.mac.value, $1.ipID % 7) }
        let expected = reference(candidates)
        let (kept, warnings) = ReservationConflicts.resolve(candidates)
        #expect(kept.map(\.ipID) == expected.kept)
        #expect(warnings.count == expected.skipped.count)
        #expect(zip(warnings, expected.skipped).allSatisfy { $0.message.hasSuffix("skipping IP id \($1)") })
        #expect(expected.skipped.count > 100, "the data should hold many conflicts")
    }
}
