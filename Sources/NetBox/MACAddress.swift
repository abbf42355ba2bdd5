/// A 48-bit Ethernet MAC address.
///
/// NetBox and PostgreSQL print `aa:bb:cc:dd:ee:ff`, operators paste `AA-BB-…` or Cisco's `aabb.ccdd.eeff`; all of
/// them mean the same NIC, so they compare equal and print in one canonical form (lower-case, colons), which is
/// what Kea's `hw-address` expects and what duplicate detection needs.
public struct MACAddress: Hashable, Comparable, Sendable, LosslessStringConvertible {
    /// The address in the low 48 bits.
    public let value: UInt64

    public init?(value: UInt64) {
        guard value >> 48 == 0 else { return nil }
        self.value = value
    }

    /// Accepts `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff` and `aabbccddeeff`, any letter case.
    public init?(_ text: String) {
        let hex: String
        if text.count == 17 {
            let separator = text[text.index(text.startIndex, offsetBy: 2)]
            guard separator == ":" || separator == "-" else { return nil }
            let groups = text.split(separator: separator, omittingEmptySubsequences: false)
            guard groups.count == 6, groups.allSatisfy({ $0.count == 2 }) else { return nil }
            hex = groups.joined()
        } else if text.count == 14 {
            let groups = text.split(separator: ".", omittingEmptySubsequences: false)
            guard groups.count == 3, groups.allSatisfy({ $0.count == 4 }) else { return nil }
            hex = groups.joined()
        } else if text.count == 12 {
            hex = text
        } else {
            return nil
        }
        guard hex.count == 12, hex.allSatisfy({ $0.isASCII && $0.isHexDigit }), let value = UInt64(hex, radix: 16)
        else { return nil }
        self.value = value
    }

    /// Whether this can be a NIC's own address: not all zeros (a common placeholder) and the group bit of the first
    /// octet clear (multicast and broadcast addresses never appear as a DHCP client's hardware address).
    public var isAssignable: Bool { value != 0 && (value >> 40) & 1 == 0 }

    public var bytes: [UInt8] { (0..<6).map { UInt8(truncatingIfNeeded: value >> (40 - 8 * UInt64($0))) } }

    public var description: String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined(separator: ":")
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.value < rhs.value }
}
