import Diagnostics

/// A template's text kept as UTF-8 bytes, so the lexer and the JSON-context scanner work on byte offsets
/// (cheap in the hot path) and line:column is computed only when a diagnostic is made.
struct SourceText: Sendable {
    let path: String
    let text: String
    let bytes: [UInt8]
    let lines: LineTable

    init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        self.lines = LineTable(bytes)
    }

    /// Substring of the source between two byte offsets (always on scalar boundaries when produced by the lexer).
    func slice(_ start: Int, _ end: Int) -> String {
        let lower = max(0, min(start, bytes.count))
        let upper = max(lower, min(end, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    func location(of offset: Int) -> SourceLocation {
        lines.sourceLocation(of: offset, file: path)
    }

    func lineText(at offset: Int) -> String {
        lines.lineText(lines.location(of: offset).line)
    }

    /// "3:5", used inside messages that point at another place ("the 'for' opened at 3:5").
    func shortPosition(of offset: Int) -> String {
        let location = location(of: offset)
        return "\(location.line):\(location.column)"
    }

    func diagnostic(_ severity: Diagnostic.Severity, rule: String? = nil, _ message: String, at offset: Int,
                    notes: [Diagnostic] = []) -> Diagnostic {
        lines.diagnostic(severity, rule: rule, message, at: offset, file: path, notes: notes)
    }
}
