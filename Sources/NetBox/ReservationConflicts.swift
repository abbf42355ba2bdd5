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
        let order = list.withUnsafeBufferPointer { all in
            all.indices.map { Snapshot.ReservationOrder(ip: all[$0].ip, vrf: all[$0].vrf, ipID: all[$0].ipID) }
        }
        var sequence = Array(list.indices)
        if !order.indices.dropFirst().allSatisfy({ !(order[$0] < order[$0 - 1]) }) {
            sequence.sort { order[$0] < order[$1] }
        }
        let contenders = contenders(list, inOrder: sequence, order)
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
    private static func contenders(_ list: [Reservation], inOrder sequence: [Int],
                                   _ order: [Snapshot.ReservationOrder]) -> [Int] {
        var contending = [Bool](repeating: false, count: list.count)
        for k in sequence.indices.dropFirst() {
            let (a, b) = (sequence[k - 1], sequence[k])
            if order[a].ip == order[b].ip, order[a].vrf == order[b].vrf { (contending[a], contending[b]) = (true, true) }
        }
        var fingerprints = list.withUnsafeBufferPointer { all in
            all.indices.map { (fingerprint(mac: all[$0].mac, subnet: all[$0].subnet), $0) }
        }
        fingerprints.sort { $0.0 < $1.0 }
        for k in fingerprints.indices.dropFirst() where fingerprints[k].0 == fingerprints[k - 1].0 {
            (contending[fingerprints[k - 1].1], contending[fingerprints[k].1]) = (true, true)
        }
        return list.indices.filter { contending[$0] }
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
