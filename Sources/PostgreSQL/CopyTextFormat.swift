/// PostgreSQL's COPY text format, as `COPY … TO STDOUT` sends it: one line per row, fields separated by tabs,
/// SQL NULL written `\N`, and a backslash escaping the characters that would break the line apart.
///
/// The server escapes backslash, backspace, form feed, newline, carriage return, tab and vertical tab (`\\`, `\b`,
/// `\f`, `\n`, `\r`, `\t`, `\v`) and sends every other byte as it is, non-ASCII UTF-8 included. The format also
/// allows octal (`\123`) and hexadecimal (`\x4f`) escapes and a backslash before any other character meaning that
/// character; those are read too, so that any text the format allows comes out as the server meant it.
enum CopyTextFormat {
    /// Why a line is not a row of the expected shape: only a server or libpq bug could cause it.
    struct MalformedLine: Error {
        let problem: String
    }

    private static let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n"), backslash = UInt8(ascii: "\\")

    /// Splits one line (with or without its newline) into `row`'s fields, decoding the escapes; `row` is emptied
    /// first and must end with `columns` fields.
    static func read(_ line: UnsafeBufferPointer<UInt8>, columns: Int, into row: inout Row) throws(MalformedLine) {
        row.removeAll()
        var end = line.count
        if end > 0, line[end - 1] == newline { end -= 1 }
        var index = 0
        while true {
            if index + 1 < end, line[index] == backslash, line[index + 1] == UInt8(ascii: "N"),
               index + 2 == end || line[index + 2] == tab {
                row.fields.append(.null)
                index += 2
            } else {
                index = try field(line, from: index, end: end, into: &row)
            }
            guard index < end else { break }
            // line[index] is the tab before the next field, which may be empty (and the last one).
            index += 1
            if index == end {
                row.fields.append(Row.FieldSpan(start: Int32(row.text.count), count: 0))
                break
            }
        }
        guard row.fields.count == columns else {
            throw MalformedLine(problem: "a row of \(row.fields.count) fields where \(columns) were expected")
        }
    }

    /// Decodes the field starting at `start` into `row`; returns where it ends (a tab or `end`).
    private static func field(_ line: UnsafeBufferPointer<UInt8>, from start: Int, end: Int, into row: inout Row)
        throws(MalformedLine) -> Int
    {
        let textStart = row.text.count
        var index = start, runStart = start
        // Runs without escapes are copied whole (one copy per run, not per byte).
        func flush(upTo stop: Int) {
            if runStart < stop { row.text.append(contentsOf: UnsafeBufferPointer(rebasing: line[runStart..<stop])) }
        }
        while index < end {
            let byte = line[index]
            if byte == tab { break }
            guard byte == backslash else {
                index += 1
                continue
            }
            flush(upTo: index)
            index += 1
            guard index < end else { throw MalformedLine(problem: "a line ending in a lone backslash") }
            let escaped = line[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "b"): row.text.append(0x08)
            case UInt8(ascii: "f"): row.text.append(0x0C)
            case UInt8(ascii: "n"): row.text.append(0x0A)
            case UInt8(ascii: "r"): row.text.append(0x0D)
            case UInt8(ascii: "t"): row.text.append(0x09)
            case UInt8(ascii: "v"): row.text.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                // Up to three octal digits; PostgreSQL keeps the low eight bits of a larger value.
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[index]) {
                    value = value << 3 + Int(line[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                row.text.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                // One or two hex digits; `\x` without one is a plain `x`, as the server reads it.
                var value = 0, digits = 0
                while digits < 2, index < end, let digit = hexValue(line[index]) {
                    value = value << 4 + digit
                    index += 1
                    digits += 1
                }
                row.text.append(digits == 0 ? UInt8(ascii: "x") : UInt8(value))
            default:
                row.text.append(escaped)
            }
            runStart = index
        }
        flush(upTo: index)
        row.fields.append(Row.FieldSpan(start: Int32(textStart), count: Int32(row.text.count - textStart)))
        return index
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
