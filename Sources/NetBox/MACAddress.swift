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
        var copy = text
        guard let parsed = copy.withUTF8({ MACAddress(utf8: $0) }) else { return nil }
        self = parsed
    }

    /// The address written in `bytes` (UTF-8). Every accepted form is pure ASCII, so a byte length and fixed
    /// separator positions decide the form exactly.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let parsed: UInt64?
        switch bytes.count {
        case 17:
            let separator = bytes[2]
            guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-") else { return nil }
            parsed = MACAddress.hexValue(bytes, separator: separator, every: 3)
        case 14:
            parsed = MACAddress.hexValue(bytes, separator: UInt8(ascii: "."), every: 5)
        case 12:
            parsed = MACAddress.hexValue(bytes, separator: nil, every: 0)
        default:
            return nil
        }
        guard let parsed else { return nil }
        value = parsed
    }

    /// The 12 hex digits of `bytes`, where every `every`-th byte (1-based) must be `separator` instead.
    private static func hexValue(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8?, every: Int) -> UInt64? {
        var value: UInt64 = 0
        for (offset, byte) in bytes.enumerated() {
            if let separator, (offset + 1) % every == 0 {
                guard byte == separator else { return nil }
                continue
            }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// Whether this can be a NIC's own address: not all zeros (a common placeholder) and the group bit of the first
    /// octet clear (multicast and broadcast addresses never appear as a DHCP client's hardware address).
    public var isAssignable: Bool { value != 0 && (value >> 40) & 1 == 0 }

    public var bytes: [UInt8] { (0..<6).map { UInt8(truncatingIfNeeded: value >> (40 - 8 * UInt64($0))) } }

    /// Written digit by digit into the string's own storage: a render formats one MAC per reservation.
    public var description: String {
        String(unsafeUninitializedCapacity: MACAddress.textLength) { writeText(into: $0) }
    }

    /// The length of the canonical text, `aa:bb:cc:dd:ee:ff`.
    public static let textLength = 17

    /// Writes the canonical text into `buffer` (at least `textLength` bytes) and returns its length: a template
    /// writes a MAC into its output this way without making a String.
    public func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let hex: StaticString = "0123456789abcdef"
        hex.withUTF8Buffer { digits in
            for octet in 0..<6 {
                let byte = Int(truncatingIfNeeded: value >> UInt64(40 - 8 * octet)) & 0xff
                buffer[octet * 3] = digits[byte >> 4]
                buffer[octet * 3 + 1] = digits[byte & 0x0f]
                if octet < 5 { buffer[octet * 3 + 2] = UInt8(ascii: ":") }
            }
        }
        return MACAddress.textLength
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.value < rhs.value }
}
