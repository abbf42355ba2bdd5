/// A template's text kept as UTF-8 bytes, so the lexer and the JSON-context scanner work on byte offsets
/// (cheap in the hot path) and line:column is computed only when a diagnostic is made.
struct SourceText: Sendable {
    let path: String
    let text: String
    let bytes: [UInt8]

    init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
    }

    /// Substring of the source between two byte offsets (always on scalar boundaries when produced by the lexer).
    func slice(_ start: Int, _ end: Int) -> String {
        let lower = max(0, min(start, bytes.count))
        let upper = max(lower, min(end, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// Byte range of the line holding `offset`, without its line break.
    func lineRange(containing offset: Int) -> Range<Int> {
        let clamped = max(0, min(offset, bytes.count))
        var start = clamped
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        var end = clamped
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<max(start, end)
    }

    /// 1-based line and column; the column counts Characters, as editors show them.
    func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        var line = 1
        var index = 0
        while index < clamped {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        let range = lineRange(containing: clamped)
        let prefix = String(decoding: bytes[range.lowerBound..<max(range.lowerBound, min(clamped, range.upperBound))], as: UTF8.self)
        return SourceLocation(file: path, line: line, column: prefix.count + 1)
    }

    func lineText(at offset: Int) -> String {
        let range = lineRange(containing: offset)
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// "3:5", used inside messages that point at another place ("the 'for' opened at 3:5").
    func shortPosition(of offset: Int) -> String {
        let location = location(of: offset)
        return "\(location.line):\(location.column)"
    }

    func diagnostic(_ severity: Diagnostic.Severity, _ message: String, at offset: Int,
                    notes: [Diagnostic] = []) -> Diagnostic {
        Diagnostic(severity: severity, message: message, location: location(of: offset),
                   sourceLine: lineText(at: offset), notes: notes)
    }
}
