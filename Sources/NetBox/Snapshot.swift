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
        let reservationsInOrder = reservations.withUnsafeBufferPointer { items in
            // Field by field in place: comparing whole elements copies each reservation (all its strings retained
            // and released) twice per step.
            items.indices.dropFirst().allSatisfy { index in
                if items[index].ip != items[index - 1].ip { return items[index - 1].ip < items[index].ip }
                if items[index].vrf != items[index - 1].vrf { return !Snapshot.nilFirst(items[index].vrf, items[index - 1].vrf) }
                return items[index].ipID >= items[index - 1].ipID
            }
        }
        if !reservationsInOrder {
            reservations.sort { a, b in
                if a.ip != b.ip { return a.ip < b.ip }
                if a.vrf != b.vrf { return Snapshot.nilFirst(a.vrf, b.vrf) }
                return a.ipID < b.ipID
            }
        }
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

    private static func sortIfNeeded<Element>(_ list: inout [Element], by ordered: (Element, Element) -> Bool) {
        var index = 1
        while index < list.count, !ordered(list[index], list[index - 1]) { index += 1 }
        if index < list.count { list.sort(by: ordered) }
    }

    private static func nilFirst(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, _): return b != nil
        case (_, nil): return false
        case let (x?, y?): return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
    }
}
