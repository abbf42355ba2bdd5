import Diagnostics
/// Removes reservations Kea would reject or serve ambiguously: the same IP twice in one VRF, or the same MAC twice
/// in one subnet (the network of the IP's own address/mask, within its VRF). A primary address wins over an
/// out-of-band one, which wins over any other interface address; among equals the lowest IP id wins. The rule does
/// not depend on query order, so every run and both HA peers keep the same one, and an interface's secondary
/// address never displaces the primary one a template reserves by default.
enum ReservationConflicts {
    /// `kept` is in the snapshot's canonical order (`Snapshot.ReservationOrder`), so the snapshot need not sort it.
    static func resolve(_ candidates: consuming [Reservation]) -> (kept: [Reservation], warnings: [DataWarning]) {
        struct IPKey: Hashable { let vrf: String?; let ip: IPAddress }
        struct MACKey: Hashable { let vrf: String?; let subnet: IPPrefix?; let mac: MACAddress }
        // Keys and positions are sorted and looked up, never the values, which move once, in place, into their
        // final order: a Reservation copy retains and releases every string, tag list and custom-field
        // dictionary, and sorting the values (by precedence here, then into the snapshot's order) was a third of
        // the reader's CPU time at 100,000 reservations; a second array of them would double the memory.
        var list = candidates
        // Through the buffer: `map` over the array would hand each closure a copy of the whole value.
        let (precedence, ipKeys, macKeys, order) = list.withUnsafeBufferPointer { all in
            (all.indices.map { (all[$0].reason.rank, all[$0].ipID) },
             all.indices.map { IPKey(vrf: all[$0].vrf, ip: all[$0].ip) },
             all.indices.map { MACKey(vrf: all[$0].vrf, subnet: all[$0].subnet, mac: all[$0].mac) },
             all.indices.map { Snapshot.ReservationOrder(ip: all[$0].ip, vrf: all[$0].vrf, ipID: all[$0].ipID) })
        }
        var byIP: [IPKey: Int] = [:]
        var byMAC: [MACKey: Int] = [:]
        byIP.reserveCapacity(list.count)
        byMAC.reserveCapacity(list.count)
        var skipped = [Bool](repeating: false, count: list.count)
        var warnings: [DataWarning] = []
        for index in list.indices.sorted(by: { precedence[$0] < precedence[$1] }) {
            if let winnerIndex = byIP[ipKeys[index]] {
                let (winner, candidate) = (list[winnerIndex], list[index])
                warnings.append(DataWarning(.duplicateIP, """
                    IP \(candidate.ip) (\(vrfText(candidate.vrf))) is assigned twice: \(winner.netboxObjects) and \
                    \(candidate.netboxObjects); keeping IP id \(winner.ipID), skipping IP id \(candidate.ipID)
                    """, subject: candidate.netboxObjects, address: candidate.ip, vrf: candidate.vrf))
                skipped[index] = true
                continue
            }
            if let winnerIndex = byMAC[macKeys[index]] {
                let (winner, candidate) = (list[winnerIndex], list[index])
                let subnet = candidate.subnet.map(\.description) ?? "\(candidate.ip)/\(candidate.prefixLength)"
                warnings.append(DataWarning(.duplicateMAC, """
                    MAC \(candidate.mac) appears twice in subnet \(subnet) (\(vrfText(candidate.vrf))): \
                    \(winner.netboxObjects) and \(candidate.netboxObjects); keeping IP id \(winner.ipID), \
                    skipping IP id \(candidate.ipID)
                    """, subject: candidate.netboxObjects, address: candidate.ip, vrf: candidate.vrf))
                skipped[index] = true
                continue
            }
            byIP[ipKeys[index]] = index
            byMAC[macKeys[index]] = index
        }
        let kept = list.indices.filter { !skipped[$0] }.sorted { order[$0] < order[$1] }
        permute(&list, into: kept + list.indices.filter { skipped[$0] })
        list.removeLast(list.count - kept.count)
        return (list, warnings)
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
