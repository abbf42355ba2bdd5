import NetBox

/// The snapshot arranged for the template lookups, built once per render.
///
/// Templates ask for the reservations of each subnet; a config may hold hundreds of subnets and 100,000
/// reservations, so every lookup is a binary search into arrays sorted by address, grouped by VRF
/// (NetBox VRFs may reuse the same addresses), never a scan of all reservations.
struct NetBoxIndex: Sendable {
    let schema: String
    /// Reservations per VRF name (nil: the global table), sorted by address; shared by every template value
    /// that points into them.
    private let reservationsByVRF: [String?: ReservationTable]
    /// Prefixes sorted by family, then address, then length, with their containing prefixes.
    let prefixTree: PrefixTree
    /// Positions in `prefixTree`.
    private let prefixByKey: [PrefixKey: Int]
    /// IP ranges per VRF, sorted by start address.
    private let rangesByVRF: [String?: [IPRange]]

    private struct PrefixKey: Hashable {
        let prefix: IPPrefix
        let vrf: String?
    }

    init(_ snapshot: Snapshot) {
        schema = snapshot.schema
        reservationsByVRF = NetBoxIndex.group(snapshot.reservations)
        prefixTree = PrefixTree(snapshot.prefixes)
        // NetBox allows the same prefix twice in one VRF; the lowest id is the one a template gets.
        var byKey: [PrefixKey: Int] = [:]
        for (position, prefix) in prefixTree.items.enumerated() {
            let key = PrefixKey(prefix: prefix.prefix, vrf: prefix.vrf)
            if let existing = byKey[key], prefixTree.items[existing].id < prefix.id { continue }
            byKey[key] = position
        }
        prefixByKey = byKey
        rangesByVRF = Dictionary(grouping: snapshot.ipRanges, by: \.vrf)
            .mapValues { $0.sorted { ($0.start, $0.id) < ($1.start, $1.id) } }
    }

    /// Reservations whose address lies in `subnet` within `vrf`, in address order.
    func reservations(in subnet: IPPrefix, vrf: String?) -> ArraySlice<Reservation> {
        guard let (table, range) = reservationPositions(in: subnet, vrf: vrf) else { return [] }
        return table.items[range]
    }

    /// As `reservations(in:vrf:)`, as the shared table and the positions in it (for template values).
    func reservationPositions(in subnet: IPPrefix, vrf: String?) -> (table: ReservationTable, range: Range<Int>)? {
        guard let table = reservationsByVRF[vrf] else { return nil }
        let sorted = table.items
        let lower = sorted.partitionPoint { $0.ip < subnet.network }
        let upper = sorted.partitionPoint { $0.ip <= subnet.last }
        return (table, lower..<max(lower, upper))
    }

    /// Reservations per VRF in (address, id) order. A snapshot is usually in canonical order already (decode and
    /// the database reader sort it) and in one VRF: then the array is shared, not copied or sorted again.
    private static func group(_ reservations: [Reservation]) -> [String?: ReservationTable] {
        func ordered(_ a: Reservation, _ b: Reservation) -> Bool { (a.ip, a.ipID) < (b.ip, b.ipID) }
        guard let vrf = reservations.first.map(\.vrf) else { return [:] }
        // Fields read in place: passing whole reservations around would copy each one.
        if reservations.indices.allSatisfy({ reservations[$0].vrf == vrf }) {
            let sorted = reservations.indices.dropFirst().allSatisfy { index in
                (reservations[index - 1].ip, reservations[index - 1].ipID) < (reservations[index].ip, reservations[index].ipID)
            }
            return [vrf: ReservationTable(sorted ? reservations : reservations.sorted(by: ordered))]
        }
        return Dictionary(grouping: reservations, by: \.vrf).mapValues { ReservationTable($0.sorted(by: ordered)) }
    }

    /// The position in `prefixTree` of the prefix, lowest id first when NetBox has it twice.
    func prefix(_ prefix: IPPrefix, vrf: String?) -> Int? {
        prefixByKey[PrefixKey(prefix: prefix, vrf: vrf)]
    }

    /// IP ranges lying wholly inside `subnet` within `vrf`, in address order.
    func ranges(within subnet: IPPrefix, vrf: String?) -> [IPRange] {
        guard let sorted = rangesByVRF[vrf] else { return [] }
        let lower = sorted.partitionPoint { $0.start < subnet.network }
        let upper = sorted.partitionPoint { $0.start <= subnet.last }
        return sorted[lower..<max(lower, upper)].filter { subnet.contains($0.end) }
    }

    /// All IP ranges, in family and address order, for `ranges()` without `within`.
    var allRanges: [IPRange] {
        rangesByVRF.values.joined().sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }
}

extension RandomAccessCollection {
    /// The index of the first element for which `belongsToLowerPart` is false; the collection must be partitioned
    /// (all lower-part elements first), as a sorted array is for a `<` or `<=` predicate.
    func partitionPoint(_ belongsToLowerPart: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if belongsToLowerPart(self[middle]) {
                low = index(after: middle)
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }
}

/// The reservations of one VRF, held once: a template value for a reservation is this table and a position, so
/// handing 100,000 of them to a template copies no reservation.
final class ReservationTable: Sendable {
    let items: [Reservation]

    init(_ items: [Reservation]) { self.items = items }
}
