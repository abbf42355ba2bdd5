/// A DHCP client identifier kept in a NetBox custom field: a DHCPv6 DUID or a DHCPv4 client-id (option 61).
///
/// Read like a MAC address: two hex digits per byte, all separated by `:` or all by `-`, or not at all, any letter
/// case; written lower-case with colons, the form Kea's `duid` / `client-id` reservation keys read. Lengths follow
/// the protocols, as Kea enforces them: a DUID is a 2-byte type and up to 128 bytes (RFC 8415 §11.1), a client-id
/// at least 2 and at most 255 bytes (RFC 2132 §9.14).
public struct ClientIdentifier: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case duid
        case clientID = "client-id"

        var lengths: ClosedRange<Int> { self == .duid ? 3...130 : 2...255 }
    }

    public let bytes: [UInt8]

    public init?(_ text: String, kind: Kind) {
        let characters = Array(text.utf8)
        var bytes: [UInt8] = []
        let separator: UInt8? = characters.count > 2
            ? [UInt8(ascii: ":"), UInt8(ascii: "-")].first { $0 == characters[2] } : nil
        var index = 0
        while index < characters.count {
            if let separator, !bytes.isEmpty {
                guard characters[index] == separator else { return nil }
                index += 1
            }
            guard index + 1 < characters.count,
                  let high = ClientIdentifier.hexValue(characters[index]),
                  let low = ClientIdentifier.hexValue(characters[index + 1])
            else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        guard kind.lengths.contains(bytes.count) else { return nil }
        self.bytes = bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if !out.isEmpty { out.append(UInt8(ascii: ":")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
