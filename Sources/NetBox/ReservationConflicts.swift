import Diagnostics
/// Removes reservations Kea would reject or serve ambiguously: the same IP twice in one VRF, or the same MAC twice
/// in one subnet (the network of the IP's own address/mask, within its VRF). A primary address wins over an
/// out-of-band one, which wins over any other interface address; among equals the lowest IP id wins. The rule does
/// not depend on query order, so every run and both HA peers keep the same one, and an interface's secondary
/// address never displaces the primary one a template reserves by default.
enum ReservationConflicts {
    static func resolve(_ candidates: consuming [Reservation]) -> (kept: [Reservation], warnings: [DataWarning]) {
        struct IPKey: Hashable { let vrf: String?; let ip: IPAddress }
        struct MACKey: Hashable { let vrf: String?; let subnet: IPPrefix?; let mac: MACAddress }
        // Sorted, checked and compacted in place, with table values that are indexes into the array: copies of
        // whole Reservation values (every string, tag list and custom-field dictionary retained and released)
        // were most of the reader's CPU time at 100,000 reservations.
        var list = candidates
        list.sort { ($0.reason.rank, $0.ipID) < ($1.reason.rank, $1.ipID) }
        var byIP: [IPKey: Int] = [:]
        var byMAC: [MACKey: Int] = [:]
        byIP.reserveCapacity(list.count)
        byMAC.reserveCapacity(list.count)
        var skipped = [Bool](repeating: false, count: list.count)
        var warnings: [DataWarning] = []
        for index in list.indices {
            let ipKey = IPKey(vrf: list[index].vrf, ip: list[index].ip)
            if let winnerIndex = byIP[ipKey] {
                let (winner, candidate) = (list[winnerIndex], list[index])
                warnings.append(DataWarning(.duplicateIP, """
                    IP \(candidate.ip) (\(vrfText(candidate.vrf))) is assigned twice: \(winner.netboxObjects) and \
                    \(candidate.netboxObjects); keeping IP id \(winner.ipID), skipping IP id \(candidate.ipID)
                    """, subject: candidate.netboxObjects, address: candidate.ip, vrf: candidate.vrf))
                skipped[index] = true
                continue
            }
            let macKey = MACKey(vrf: list[index].vrf, subnet: list[index].subnet, mac: list[index].mac)
            if let winnerIndex = byMAC[macKey] {
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
            byIP[ipKey] = index
            byMAC[macKey] = index
        }
        if !warnings.isEmpty {
            // Keeps the order: each kept entry moves down over the skipped ones before it.
            var write = 0
            for read in list.indices where !skipped[read] {
                if write != read { list.swapAt(write, read) }
                write += 1
            }
            list.removeLast(list.count - write)
        }
        return (list, warnings)
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
