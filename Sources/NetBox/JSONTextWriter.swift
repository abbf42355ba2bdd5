/// Writes JSON text with object keys sorted, so that equal values give byte-identical output (two servers of a Kea
/// HA pair, or two runs, must produce the same snapshot).
struct JSONTextWriter {
    /// Spaces per level; nil writes compact text.
    let indent: Int?
    private(set) var output = ""

    init(indent: Int?) { self.indent = indent }

    mutating func write(_ value: JSONValue, level: Int = 0) {
        switch value {
        case .null: output += "null"
        case .bool(let b): output += b ? "true" : "false"
        case .integer(let i): output += String(i)
        case .number(let d): output += JSONTextWriter.format(d)
        case .string(let s): output += JSONTextWriter.quote(s)
        case .array(let elements):
            if elements.isEmpty { output += "[]"; return }
            output += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { output += "," }
                newline(level + 1)
                write(element, level: level + 1)
            }
            newline(level)
            output += "]"
        case .object(let members):
            if members.isEmpty { output += "{}"; return }
            output += "{"
            // Sorted by UTF-8 bytes, not by Swift's String ordering, so the order is locale- and platform-proof.
            // The views are compared in place (no byte arrays per comparison) and the pairs sorted together (no
            // second lookup per key).
            let sortedMembers = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, member) in sortedMembers.enumerated() {
                if i > 0 { output += "," }
                newline(level + 1)
                output += JSONTextWriter.quote(member.key)
                output += indent == nil ? ":" : ": "
                write(member.value, level: level + 1)
            }
            newline(level)
            output += "}"
        }
    }

    private mutating func newline(_ level: Int) {
        guard let indent else { return }
        output += "\n" + String(repeating: " ", count: indent * level)
    }

    /// Swift's shortest round-trip representation; always a valid JSON number for finite values.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return "\(value)"
    }

    /// RFC 8259 string: quote, backslash and control characters escaped, everything else as raw UTF-8.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
