/// Turns byte offsets into 1-based line and column numbers and back. Positions are kept as byte offsets while
/// working (cheap for 100,000 reservations) and converted only when a message is made. Columns count Unicode
/// scalars, as Kea counts them in its own messages.
public struct LineTable: Sendable {
    private let lineStarts: [Int]
    private let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        self.lineStarts = starts
        self.bytes = bytes
    }

    public var lineCount: Int { lineStarts.count }

    /// Line and column of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        let start = lineStarts[low]
        var column = 1
        var index = start
        while index < clamped {
            // Continuation bytes (10xxxxxx) do not start a new character.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        // Landing inside a multi-byte character counts it once.
        if clamped < bytes.count, clamped > start, bytes[clamped] & 0xC0 == 0x80 { column -= 1 }
        return (low + 1, column)
    }

    /// The location of a byte offset in the file called `file`.
    public func sourceLocation(of offset: Int, file: String) -> SourceLocation {
        let (line, column) = location(of: offset)
        return SourceLocation(file: file, line: line, column: column)
    }

    /// The byte offset of a line and column (the inverse of `location(of:)`); nil past the end of the text.
    public func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        var index = lineStarts[line - 1]
        var remaining = column - 1
        while remaining > 0, index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            remaining -= 1
        }
        return index
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// A diagnostic at a byte offset, with its source line for the caret.
    public func diagnostic(_ severity: Diagnostic.Severity, rule: String? = nil, _ message: String, at offset: Int,
                           file: String, notes: [Diagnostic] = []) -> Diagnostic {
        let place = sourceLocation(of: offset, file: file)
        return Diagnostic(severity: severity, rule: rule, message: message, location: place,
                          sourceLine: lineText(place.line), notes: notes)
    }
}
