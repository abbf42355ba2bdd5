/// An IPv4 or IPv6 address without a mask or zone.
///
/// Parsing is strict (no leading zeros in IPv4 octets, no zone index, no surrounding blanks) because the text comes
/// from a database or a template and a lenient parse would silently turn a typo into another host. IPv6 is printed in
/// RFC 5952 canonical form so that two renderings of the same data are byte-identical.
public struct IPAddress: Hashable, Comparable, Sendable, LosslessStringConvertible {
    public let family: IPFamily
    /// High 64 bits of the 128-bit value; always 0 for IPv4.
    public let high: UInt64
    /// Low 64 bits; an IPv4 address lives in the low 32 bits.
    public let low: UInt64

    public init(v4 value: UInt32) {
        family = .v4
        high = 0
        low = UInt64(value)
    }

    public init(v6High high: UInt64, low: UInt64) {
        family = .v6
        self.high = high
        self.low = low
    }

    /// The IPv4 value, for IPv4 addresses.
    public var v4Value: UInt32? { family == .v4 ? UInt32(truncatingIfNeeded: low) : nil }

    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        switch family {
        case .v4:
            return (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * UInt64($0))) }
        case .v6:
            return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
        }
    }

    public init?(_ text: String) {
        // Parsed as UTF-8 bytes: no Character segmentation and no Foundation, since the reader parses one address
        // per reservation. Any byte outside ASCII fails the digit checks, which keeps the parse strict.
        var copy = text
        guard let parsed = copy.withUTF8({ IPAddress(utf8: $0) }) else { return nil }
        self = parsed
    }

    /// The address written in `bytes` (UTF-8), parsed as strictly as the text form.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.contains(UInt8(ascii: ":")) {
            guard let (high, low) = IPAddress.parseV6(bytes) else { return nil }
            self.init(v6High: high, low: low)
        } else {
            guard let value = IPAddress.parseV4(bytes[...]) else { return nil }
            self.init(v4: value)
        }
    }

    public var description: String {
        switch family {
        case .v4:
            return IPAddress.formatV4(UInt32(truncatingIfNeeded: low))
        case .v6:
            return formatV6()
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.family != rhs.family { return lhs.family < rhs.family }
        if lhs.high != rhs.high { return lhs.high < rhs.high }
        return lhs.low < rhs.low
    }

    // MARK: parsing

    /// Four decimal octets, each 0-255 without leading zeros, separated by dots.
    static func parseV4(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var parts = 0
        var first: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | octet
                parts += 1
                octet = 0
                digits = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return nil }
            // A leading zero reads as octal in some parsers (inet_aton): refuse rather than guess.
            if digits == 0 { first = byte } else if first == UInt8(ascii: "0") { return nil }
            octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
            guard octet <= 255 else { return nil }
            digits += 1
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | octet
    }

    /// Eight groups of 1-4 hex digits, or fewer with one `::` standing for at least one zero group; the last 32
    /// bits may be written as a dotted quad.
    static func parseV6(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        let count = bytes.count
        guard count > 0 else { return nil }
        let colon = UInt8(ascii: ":")
        func doubleColon(from start: Int) -> Int? {
            var i = start
            while i + 1 < count {
                if bytes[i] == colon && bytes[i + 1] == colon { return i }
                i += 1
            }
            return nil
        }
        /// The groups of bytes[start..<end] into `out` from `at`; nil when malformed or more than `limit` groups.
        func groups(_ start: Int, _ end: Int, allowTrailingV4: Bool, into out: inout [UInt16], limit: Int) -> Bool {
            if start == end { return true }
            var fieldStart = start
            while true {
                var fieldEnd = fieldStart
                while fieldEnd < end && bytes[fieldEnd] != colon { fieldEnd += 1 }
                let isLast = fieldEnd == end
                let field = bytes[fieldStart..<fieldEnd]
                if isLast && allowTrailingV4 && field.contains(UInt8(ascii: ".")) {
                    guard out.count + 2 <= limit, let v4 = parseV4(field) else { return false }
                    out.append(UInt16(truncatingIfNeeded: v4 >> 16))
                    out.append(UInt16(truncatingIfNeeded: v4))
                } else {
                    guard (1...4).contains(field.count), out.count < limit else { return false }
                    var group: UInt16 = 0
                    for byte in field {
                        let digit: UInt8
                        switch byte {
                        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                        default: return false
                        }
                        group = group << 4 | UInt16(digit)
                    }
                    out.append(group)
                }
                if isLast { return true }
                fieldStart = fieldEnd + 1
            }
        }

        var head: [UInt16] = []
        var tail: [UInt16] = []
        head.reserveCapacity(8)
        if let gap = doubleColon(from: 0) {
            // At most one "::" (searched for without overlap, so ":::" leaves a lone ":" that fails as an empty
            // group), standing for at least one zero group.
            guard doubleColon(from: gap + 2) == nil,
                  groups(0, gap, allowTrailingV4: false, into: &head, limit: 7),
                  groups(gap + 2, count, allowTrailingV4: true, into: &tail, limit: 7 - head.count)
            else { return nil }
        } else {
            guard groups(0, count, allowTrailingV4: true, into: &head, limit: 8), head.count == 8 else { return nil }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        let zeros = 8 - head.count - tail.count
        var position = 0
        func add(_ group: UInt16) {
            if position < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
            position += 1
        }
        for group in head { add(group) }
        for _ in 0..<zeros { add(0) }
        for group in tail { add(group) }
        return (high, low)
    }

    // MARK: formatting

    /// The longest text of an address: eight full IPv6 groups and their colons.
    public static let maximumTextLength = 39

    /// Writes the text (`description`) into `buffer` (at least `maximumTextLength` bytes) and returns its length:
    /// a template writes an IPv4 address into its output this way without making a String.
    public func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        switch family {
        case .v4:
            return IPAddress.writeV4(UInt32(truncatingIfNeeded: low), into: buffer)
        case .v6:
            var text = formatV6()
            return text.withUTF8 { utf8 in
                let count = min(utf8.count, buffer.count)
                _ = buffer.initialize(from: utf8.prefix(count))
                return count
            }
        }
    }

    /// Written digit by digit into the string's own storage: a render formats one address per reservation.
    static func formatV4(_ value: UInt32) -> String {
        String(unsafeUninitializedCapacity: 15) { writeV4(value, into: $0) }
    }

    /// Dotted decimal into `buffer` (at least 15 bytes); returns the length.
    private static func writeV4(_ value: UInt32, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        for shift in [24, 16, 8, 0] as [UInt32] {
            let octet = Int(value >> shift & 0xff)
            if shift != 24 {
                buffer[count] = UInt8(ascii: ".")
                count += 1
            }
            if octet >= 100 {
                buffer[count] = UInt8(ascii: "0") + UInt8(octet / 100)
                count += 1
            }
            if octet >= 10 {
                buffer[count] = UInt8(ascii: "0") + UInt8(octet / 10 % 10)
                count += 1
            }
            buffer[count] = UInt8(ascii: "0") + UInt8(octet % 10)
            count += 1
        }
        return count
    }

    /// RFC 5952: lower-case hex without leading zeros, `::` for the longest run (leftmost on ties) of two or more
    /// zero groups, and the dotted-quad tail for IPv4-mapped addresses (::ffff:0:0/96, section 5).
    private func formatV6() -> String {
        if high == 0 && low >> 32 == 0xffff {
            return "::ffff:" + IPAddress.formatV4(UInt32(truncatingIfNeeded: low))
        }
        let groups: [UInt16] = (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        if bestLength < 2 { return hex.joined(separator: ":") }
        let left = hex[0..<bestStart].joined(separator: ":")
        let right = hex[(bestStart + bestLength)...].joined(separator: ":")
        return left + "::" + right
    }
}
