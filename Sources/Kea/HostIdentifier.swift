/// Host reservation identifiers normalised the way Kea compares them, so that duplicates Kea would reject
/// are found before Kea sees the file.
///
/// Kea reads identifiers as formatted hex (observed with kea-dhcp4 2.2 `-t`): `0x` followed by digits,
/// digits without separators (an odd count gets a leading zero), or groups of one or two digits separated
/// by `:` or by spaces (not mixed). So `2:0:0:0:0:1`, `02 00 00 00 00 01`, `020000000001` and
/// `02:00:00:00:00:01` are the same host; dashes are invalid. `circuit-id`, `client-id` and `flex-id`
/// may also be a quoted text `'abc'`.
enum HostIdentifier {
    /// Identifier keys of a v4 reservation, in Kea's order.
    static let v4Keys = ["hw-address", "client-id", "duid", "circuit-id", "flex-id"]
    /// Identifier keys of a v6 reservation.
    static let v6Keys = ["hw-address", "duid", "flex-id"]

    static func keys(for family: KeaFamily) -> [String] { family == .v4 ? v4Keys : v6Keys }

    /// The identifier's bytes as lower-case colon-separated hex, or nil when Kea would reject the text.
    static func normalise(_ text: String, type: String) -> String? {
        if type != "hw-address" && type != "duid", text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") {
            let inner = text.dropFirst().dropLast()
            guard !inner.isEmpty else { return nil }
            return hex(Array(inner.utf8))
        }
        guard let bytes = decodeFormattedHex(text), !bytes.isEmpty else { return nil }
        return hex(bytes)
    }

    static func decodeFormattedHex(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        if characters.count > 2, characters[0] == UInt8(ascii: "0"), characters[1] == UInt8(ascii: "x") || characters[1] == UInt8(ascii: "X") {
            return decodeRun(Array(characters.dropFirst(2)))
        }
        for separator in [UInt8(ascii: ":"), UInt8(ascii: " ")] where characters.contains(separator) {
            let groups = characters.split(separator: separator, omittingEmptySubsequences: false)
            var bytes: [UInt8] = []
            for group in groups {
                guard group.count == 1 || group.count == 2 else { return nil }
                guard let byte = decodeRun(Array(group)), byte.count == 1 else { return nil }
                bytes.append(byte[0])
            }
            return bytes
        }
        return decodeRun(characters)
    }

    /// Hex digits without separators; an odd count means a leading zero.
    private static func decodeRun(_ digits: [UInt8]) -> [UInt8]? {
        guard !digits.isEmpty else { return nil }
        var values: [UInt8] = []
        values.reserveCapacity(digits.count + 1)
        if digits.count % 2 == 1 { values.append(0) }
        for digit in digits {
            guard let value = hexValue(digit) else { return nil }
            values.append(value)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count / 2)
        var index = 0
        while index + 1 < values.count {
            bytes.append(values[index] << 4 | values[index + 1])
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for (index, byte) in bytes.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ":")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
