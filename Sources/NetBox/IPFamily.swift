/// The address family. Raw values are the numbers NetBox and the snapshot use (`"family": 4`).
public enum IPFamily: Int, Sendable, Codable, Hashable, Comparable {
    case v4 = 4
    case v6 = 6

    public static func < (lhs: IPFamily, rhs: IPFamily) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Bits in an address of this family.
    public var bitWidth: Int { self == .v4 ? 32 : 128 }
}
