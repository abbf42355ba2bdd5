import Diagnostics
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
        case .string(let s): output += JSONString.quoted(s)
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
                output += JSONString.quoted(member.key)
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
}
