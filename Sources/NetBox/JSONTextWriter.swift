import Diagnostics

/// Writes JSON text with object keys sorted, so that equal values give byte-identical output (two servers of a Kea
/// HA pair, or two runs, must produce the same snapshot). Bytes are appended to one buffer: a snapshot of 100,000
/// reservations is 45 MB of text.
struct JSONTextWriter {
    /// Spaces per level; nil writes compact text.
    let indent: Int?
    private(set) var bytes: [UInt8] = []

    init(indent: Int?, capacity: Int = 0) {
        self.indent = indent
        bytes.reserveCapacity(capacity)
    }

    var output: String { String(decoding: bytes, as: UTF8.self) }

    /// What is written so far, leaving the writer empty (with its capacity) to go on.
    mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    mutating func write(_ value: JSONValue, level: Int = 0) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .integer(let i): integer(i)
        case .number(let d): bytes.append(contentsOf: JSONTextWriter.format(d).utf8)
        case .string(let s): string(s)
        case .array(let elements):
            if elements.isEmpty { append("[]"); return }
            append("[")
            for (i, element) in elements.enumerated() {
                if i > 0 { append(",") }
                newline(level + 1)
                write(element, level: level + 1)
            }
            newline(level)
            append("]")
        case .object(let members):
            if members.isEmpty { append("{}"); return }
            append("{")
            // Sorted by UTF-8 bytes, not by Swift's String ordering, so the order is locale- and platform-proof.
            // The views are compared in place (no byte arrays per comparison) and the pairs sorted together (no
            // second lookup per key).
            let sortedMembers = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, member) in sortedMembers.enumerated() {
                self.member(member.key, first: i == 0, level: level)
                write(member.value, level: level + 1)
            }
            closeObject(level: level)
        }
    }

    // MARK: Objects of known shape, written member by member (the caller gives the keys in sorted order)

    mutating func openObject() { append("{") }

    /// The separator, line break and key of a member of an object at `level`.
    mutating func member(_ key: String, first: Bool, level: Int) {
        if !first { append(",") }
        newline(level + 1)
        string(key)
        append(indent == nil ? ":" : ": ")
    }

    mutating func closeObject(level: Int) {
        newline(level)
        append("}")
    }

    /// Digit by digit into the buffer (no String per number).
    mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so that Int.min has one too.
        var rest = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { append("null") }
    }

    mutating func strings(_ texts: [String], level: Int) {
        if texts.isEmpty { append("[]"); return }
        append("[")
        for (i, text) in texts.enumerated() {
            if i > 0 { append(",") }
            newline(level + 1)
            string(text)
        }
        newline(level)
        append("]")
    }

    mutating func string(_ text: String) { JSONString.append(text, to: &bytes) }

    /// Text another writer made (a block of entries encoded on another core).
    mutating func append(written: [UInt8]) { bytes.append(contentsOf: written) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func newline(_ level: Int) {
        guard let indent else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    /// Swift's shortest round-trip representation; always a valid JSON number for finite values.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return "\(value)"
    }
}
