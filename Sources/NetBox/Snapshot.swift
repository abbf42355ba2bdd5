/// Everything a template can ask of NetBox, read once per run: from the database or from a snapshot file.
public struct Snapshot: Sendable, Equatable {
    /// The value of `format` this code reads and writes. A new major format gets a new name, so an old kea-netbox
    /// refuses a file it would misread instead of guessing.
    public static let formatName = "kea-netbox-snapshot/1"

    /// Detected NetBox schema generation ("3.0-3.2", "3.3-4.1", "4.2+"), shown to templates as `netbox.schema`.
    public var schema: String
    public var prefixes: [Prefix]
    public var ipRanges: [IPRange]
    public var reservations: [Reservation]

    public init(schema: String, prefixes: [Prefix] = [], ipRanges: [IPRange] = [], reservations: [Reservation] = []) {
        self.schema = schema
        self.prefixes = prefixes
        self.ipRanges = ipRanges
        self.reservations = reservations
    }

    /// The same data in the canonical order: reservations by (family, ip), prefixes by (family, network, length),
    /// ranges by (family, start); VRF then id break ties. Deterministic order keeps the two servers of a Kea HA pair
    /// byte-identical.
    public func sorted() -> Snapshot {
        var copy = self
        copy.sort()
        return copy
    }

    /// Puts the data in the canonical order (see `sorted()`) in place, without copying arrays held only here. An
    /// array already in order (what decode and the reader produce) is left alone, so one shared with another
    /// snapshot is not copied either.
    mutating func sort() {
        // The order check reads the three fields in place: the generic check below passes whole elements to its
        // comparison, and a reservation's copy retains and releases all its strings (0.22 G at 100,000).
        let reservationsInOrder = reservations.withUnsafeBufferPointer { items in
            items.indices.dropFirst().allSatisfy { index in
                !(ReservationOrder(ip: items[index].ip, vrf: items[index].vrf, ipID: items[index].ipID)
                    < ReservationOrder(ip: items[index - 1].ip, vrf: items[index - 1].vrf, ipID: items[index - 1].ipID))
            }
        }
        if !reservationsInOrder { reservations.sort { ReservationOrder($0) < ReservationOrder($1) } }
        Snapshot.sortIfNeeded(&prefixes) { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            if a.vrf != b.vrf { return Snapshot.nilFirst(a.vrf, b.vrf) }
            return a.id < b.id
        }
        Snapshot.sortIfNeeded(&ipRanges) { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end < b.end }
            if a.vrf != b.vrf { return Snapshot.nilFirst(a.vrf, b.vrf) }
            return a.id < b.id
        }
    }

    /// A reservation's place in the canonical order (see `sorted()`); the database reader builds its list in it.
    struct ReservationOrder: Comparable {
        let ip: IPAddress
        let vrf: String?
        let ipID: Int

        init(ip: IPAddress, vrf: String?, ipID: Int) {
            (self.ip, self.vrf, self.ipID) = (ip, vrf, ipID)
        }

        init(_ reservation: Reservation) {
            self.init(ip: reservation.ip, vrf: reservation.vrf, ipID: reservation.ipID)
        }

        static func < (a: Self, b: Self) -> Bool {
            if a.ip != b.ip { return a.ip < b.ip }
            if a.vrf != b.vrf { return Snapshot.nilFirst(a.vrf, b.vrf) }
            return a.ipID < b.ipID
        }
    }

    private static func sortIfNeeded<Element>(_ list: inout [Element], by ordered: (Element, Element) -> Bool) {
        // Through the buffer: the array's subscript would copy each (large) element for the comparison.
        let inOrder = list.withUnsafeBufferPointer { all in
            var index = 1
            while index < all.count, !ordered(all[index], all[index - 1]) { index += 1 }
            return index >= all.count
        }
        if !inOrder { list.sort(by: ordered) }
    }

    private static func nilFirst(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, _): return b != nil
        case (_, nil): return false
        case let (x?, y?): return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
    }
}
