import Diagnostics
/// Removes reservations Kea would reject or serve ambiguously: the same IP twice in one VRF, or the same MAC twice
/// in one subnet (the network of the IP's own address/mask, within its VRF). A primary address wins over an
/// out-of-band one, which wins over any other interface address; among equals the lowest IP id wins. The rule does
/// not depend on query order, so every run and both HA peers keep the same one, and an interface's secondary
/// address never displaces the primary one a template reserves by default.
enum ReservationConflicts {
    /// `kept` is in the snapshot's canonical order (`Snapshot.ReservationOrder`), so the snapshot need not sort it.
    static func resolve(_ candidates: consuming [Reservation]) -> (kept: [Reservation], warnings: [DataWarning]) {
        // Keys and positions are sorted and compared, never the values, which move once, in place, into their
        // final order: a Reservation copy retains and releases every string, tag list and custom-field
        // dictionary, and a second array of them would double the memory.
        var list = candidates
        let keys = list.withUnsafeBufferPointer { OrderKey.keys(of: $0) }
        let sorted = keys.indices.dropFirst().allSatisfy { !(keys[$0] < keys[$0 - 1]) } ? keys : keys.sorted(by: <)
        let sequence = sorted.map(\.index)
        let contenders = contenders(list, inOrder: sorted)
        var skipped = [Bool](repeating: false, count: list.count)
        var warnings: [DataWarning] = []
        if !contenders.isEmpty { warnings = decide(contenders, in: list, skipping: &skipped) }
        let kept = sequence.filter { !skipped[$0] }
        permute(&list, into: kept + list.indices.filter { skipped[$0] })
        list.removeLast(list.count - kept.count)
        return (list, warnings)
    }

    /// The candidates that share a key with another one; every other candidate is kept whatever the precedence,
    /// and takes no key another one needs, so the precedence rule is applied to these alone (hashing the keys of
    /// 100,000 candidates was a quarter of the reader's CPU time, when bad data concerns a handful).
    ///
    /// The same IP in one VRF: neighbours in the canonical order (IP, then VRF). The same MAC in one subnet and
    /// VRF: equal fingerprints of (MAC, subnet), found by sorting the fingerprints; a fingerprint shared by other
    /// keys (another VRF, a collision) only adds candidates that `decide` then keeps.
    private static func contenders(_ list: [Reservation], inOrder sorted: [OrderKey]) -> [Int] {
        var contending = [Bool](repeating: false, count: list.count)
        for k in sorted.indices.dropFirst() where sorted[k].sameAddress(as: sorted[k - 1]) {
            (contending[sorted[k - 1].index], contending[sorted[k].index]) = (true, true)
        }
        var fingerprints = list.withUnsafeBufferPointer { all in
            // Stored fields only: `subnet`, a computed property, copied the whole reservation for each call.
            all.indices.map { i in
                (fingerprint(mac: all[i].mac, subnet: IPPrefix(address: all[i].ip, length: all[i].prefixLength)), i)
            }
        }
        fingerprints.sort { $0.0 < $1.0 }
        for k in fingerprints.indices.dropFirst() where fingerprints[k].0 == fingerprints[k - 1].0 {
            (contending[fingerprints[k - 1].1], contending[fingerprints[k].1]) = (true, true)
        }
        return list.indices.filter { contending[$0] }
    }

    /// A candidate's place in the canonical order (`Snapshot.ReservationOrder`: the address, then the VRF with the
    /// global table first and names by their bytes, then the IP id) as integers: sorting 100,000 candidates by
    /// `ReservationOrder` compared optional strings and was a tenth of the read.
    struct OrderKey: Comparable {
        let family: Int, high: UInt64, low: UInt64
        /// 0 for the global table, else the VRF name's rank among the candidates' VRF names.
        let vrf: Int
        let ipID: Int
        /// The candidate's position in the list.
        let index: Int

        static func keys(of all: UnsafeBufferPointer<Reservation>) -> [OrderKey] {
            var names = Set<String>()
            for reservation in all { if let vrf = reservation.vrf { names.insert(vrf) } }
            var rank: [String: Int] = [:]
            for (position, name) in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                rank[name] = position + 1
            }
            return all.indices.map { i in
                let ip = all[i].ip
                return OrderKey(family: ip.family.rawValue, high: ip.high, low: ip.low,
                                vrf: all[i].vrf.flatMap { rank[$0] } ?? 0, ipID: all[i].ipID, index: i)
            }
        }

        /// The same IP in the same VRF.
        func sameAddress(as other: OrderKey) -> Bool {
            (family, high, low, vrf) == (other.family, other.high, other.low, other.vrf)
        }

        static func < (a: OrderKey, b: OrderKey) -> Bool {
            (a.family, a.high, a.low, a.vrf, a.ipID) < (b.family, b.high, b.low, b.vrf, b.ipID)
        }

        static func == (a: OrderKey, b: OrderKey) -> Bool {
            (a.family, a.high, a.low, a.vrf, a.ipID, a.index) == (b.family, b.high, b.low, b.vrf, b.ipID, b.index)
        }
    }

    /// 64 bits mixed from the MAC and the subnet (SplitMix64's finaliser): equal keys give equal fingerprints.
    private static func fingerprint(mac: MACAddress, subnet: IPPrefix?) -> UInt64 {
        func mix(_ value: UInt64) -> UInt64 {
            var z = value &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        guard let subnet else { return mix(mac.value) }
        return mix(mac.value ^ mix(subnet.network.low ^ mix(subnet.network.high ^ UInt64(subnet.length))))
    }

    /// The precedence rule among `contenders`: by reason, then lowest IP id, each takes its IP and MAC keys unless
    /// a candidate before it has taken one; the others are skipped with a warning naming both.
    private static func decide(_ contenders: [Int], in list: [Reservation], skipping skipped: inout [Bool])
        -> [DataWarning]
    {
        struct IPKey: Hashable { let vrf: String?; let ip: IPAddress }
        struct MACKey: Hashable { let vrf: String?; let subnet: IPPrefix?; let mac: MACAddress }
        var byIP: [IPKey: Int] = [:]
        var byMAC: [MACKey: Int] = [:]
        var warnings: [DataWarning] = []
        let ranked = list.withUnsafeBufferPointer { all in
            contenders.sorted { (all[$0].reason.rank, all[$0].ipID) < (all[$1].reason.rank, all[$1].ipID) }
        }
        for index in ranked {
            let candidate = list[index]
            let ipKey = IPKey(vrf: candidate.vrf, ip: candidate.ip)
            let macKey = MACKey(vrf: candidate.vrf, subnet: candidate.subnet, mac: candidate.mac)
            if let winnerIndex = byIP[ipKey] {
                let winner = list[winnerIndex]
                warnings.append(DataWarning(.duplicateIP, """
                    IP \(candidate.ip) (\(vrfText(candidate.vrf))) is assigned twice: \(winner.netboxObjects) and \
                    \(candidate.netboxObjects); keeping IP id \(winner.ipID), skipping IP id \(candidate.ipID)
                    """, subject: candidate.netboxObjects, address: candidate.ip, vrf: candidate.vrf))
                skipped[index] = true
                continue
            }
            if let winnerIndex = byMAC[macKey] {
                let winner = list[winnerIndex]
                let subnet = candidate.subnet.map(\.description) ?? "\(candidate.ip)/\(candidate.prefixLength)"
                warnings.append(DataWarning(.duplicateMAC, """
                    MAC \(candidate.mac) appears twice in subnet \(subnet) (\(vrfText(candidate.vrf))): \
                    \(winner.netboxObjects) and \(candidate.netboxObjects); keeping IP id \(winner.ipID), \
                    skipping IP id \(candidate.ipID)
                    """, subject: candidate.netboxObjects, address: candidate.ip, vrf: candidate.vrf))
                skipped[index] = true
                continue
            }
            byIP[ipKey] = index
            byMAC[macKey] = index
        }
        return warnings
    }

    /// Rearranges `list` so that position k holds what was at `sources[k]` (a permutation of its indices), by
    /// swaps along each cycle: every element moves, none is copied (the buffer's swap moves; the array's copies).
    private static func permute(_ list: inout [Reservation], into sources: [Int]) {
        var done = [Bool](repeating: false, count: list.count)
        list.withUnsafeMutableBufferPointer { all in
            for start in all.indices where !done[start] {
                var position = start
                while true {
                    done[position] = true
                    let source = sources[position]
                    if source == start { break }
                    all.swapAt(position, source)
                    position = source
                }
            }
        }
    }

    static func vrfText(_ vrf: String?) -> String {
        vrf.map { "VRF \(JSONString.quoted($0))" } ?? "global table"
    }
}

extension Reservation {
    /// How an operator finds this in NetBox: `device "srv1" interface "eth0" IP 192.0.2.10/24 (IP id 51)`. Names are
    /// quoted with escapes so a name holding a newline or quote cannot garble the message.
    public var netboxObjects: String {
        let owner = kind == .device ? "device" : "VM"
        return "\(owner) \(JSONString.quoted(name)) interface \(JSONString.quoted(interface)) "
            + "IP \(ip)/\(prefixLength) (IP id \(ipID)\(reason.objectsSuffix))"
    }
}

extension Reservation.Reason {
    /// Added after the IP id in warnings; nothing for a primary address, the case before other reasons existed.
    var objectsSuffix: String {
        switch self {
        case .primary: ""
        case .oob: ", out-of-band IP"
        case .interface: ", interface address"
        }
    }
}
