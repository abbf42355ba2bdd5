import Glibc

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
    ///
    /// The line is copied into the row whole, and a field is read in place: most fields hold no backslash (libc's
    /// `memchr` finds the tabs and the backslashes), a field `\N` is NULL, and only a field with another escape is
    /// decoded, over its own bytes (the decoded text is never longer). Byte by byte, the line was most of the
    /// reader's own time.
    static func read(_ line: UnsafeBufferPointer<UInt8>, columns: Int, into row: inout Row) throws(MalformedLine) {
        row.removeAll()
        var end = line.count
        if end > 0, line[end - 1] == newline { end -= 1 }
        row.text.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<end]))
        try row.text.withUnsafeMutableBufferPointer { (text) throws(MalformedLine) in
            var start = 0
            var nextBackslash = find(backslash, in: text, from: 0, end: end)
            while true {
                let tabAt = find(tab, in: text, from: start, end: end)
                var fieldEnd = tabAt
                if nextBackslash >= tabAt {
                    row.fields.append(Row.FieldSpan(start: Int32(start), count: Int32(tabAt - start)))
                } else {
                    if tabAt == start + 2, text[start + 1] == UInt8(ascii: "N") {
                        row.fields.append(.null)
                    } else {
                        let (rawEnd, count) = try decode(text, from: start, end: end)
                        fieldEnd = rawEnd
                        row.fields.append(Row.FieldSpan(start: Int32(start), count: Int32(count)))
                    }
                    nextBackslash = find(backslash, in: text, from: fieldEnd, end: end)
                }
                guard fieldEnd < end else { break }
                // text[fieldEnd] is the tab before the next field, which may be empty (and the last one).
                start = fieldEnd + 1
                if start == end {
                    row.fields.append(Row.FieldSpan(start: Int32(end), count: 0))
                    break
                }
            }
        }
        guard row.fields.count == columns else {
            throw MalformedLine(problem: "a row of \(row.fields.count) fields where \(columns) were expected")
        }
    }

    /// The position of the first `byte` in `text[from..<end]`, or `end`.
    private static func find(_ byte: UInt8, in text: UnsafeMutableBufferPointer<UInt8>, from: Int, end: Int) -> Int {
        guard from < end, let base = text.baseAddress, let found = memchr(base + from, Int32(byte), end - from)
        else { return end }
        return found.assumingMemoryBound(to: UInt8.self) - base
    }

    /// Decodes the escaped field starting at `start` in place; returns where its raw text ends (a tab that no
    /// backslash escapes, or `end`) and the decoded length.
    private static func decode(_ text: UnsafeMutableBufferPointer<UInt8>, from start: Int, end: Int)
        throws(MalformedLine) -> (rawEnd: Int, count: Int)
    {
        var read = start, written = start
        func put(_ byte: UInt8) {
            text[written] = byte
            written += 1
        }
        while read < end {
            let byte = text[read]
            if byte == tab { break }
            read += 1
            guard byte == backslash else {
                put(byte)
                continue
            }
            guard read < end else { throw MalformedLine(problem: "a line ending in a lone backslash") }
            let escaped = text[read]
            read += 1
            switch escaped {
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "v"): put(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                // Up to three octal digits; PostgreSQL keeps the low eight bits of a larger value.
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, read < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(text[read]) {
                    value = value << 3 + Int(text[read] - UInt8(ascii: "0"))
                    read += 1
                    digits += 1
                }
                put(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                // One or two hex digits; `\x` without one is a plain `x`, as the server reads it.
                var value = 0, digits = 0
                while digits < 2, read < end, let digit = hexValue(text[read]) {
                    value = value << 4 + digit
                    read += 1
                    digits += 1
                }
                put(digits == 0 ? UInt8(ascii: "x") : UInt8(value))
            default:
                put(escaped)
            }
        }
        return (read, written - start)
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
