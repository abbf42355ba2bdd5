/// A place in a template, 1-based; the column counts Characters so the caret lines up in an editor.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One message for the operator, in the compiler shape editors and CI annotate: `file:line:col: error: msg`.
public struct Diagnostic: Sendable, Error, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    public let severity: Severity
    public let message: String
    public let location: SourceLocation?
    /// The text of the offending line, so the caret display needs no second read of the file.
    public let sourceLine: String?
    /// Secondary places, e.g. where an unclosed block was opened.
    public let notes: [Diagnostic]

    public init(severity: Severity, message: String, location: SourceLocation? = nil,
                sourceLine: String? = nil, notes: [Diagnostic] = []) {
        self.severity = severity
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
        self.notes = notes
    }

    /// "file:line:col: error: msg\n<source line>\n<spaces>^" then the notes in the same shape.
    public func formatted() -> String {
        var lines: [String] = []
        append(to: &lines)
        return lines.joined(separator: "\n")
    }

    public var description: String { formatted() }

    private func append(to lines: inout [String]) {
        if let location {
            lines.append("\(location): \(severity.rawValue): \(message)")
            if let sourceLine {
                lines.append(sourceLine)
                // Keep tabs so the caret lines up under the same column in a terminal.
                var padding = ""
                for character in sourceLine.prefix(max(0, location.column - 1)) {
                    padding.append(character == "\t" ? "\t" : " ")
                }
                lines.append(padding + "^")
            }
        } else {
            lines.append("\(severity.rawValue): \(message)")
        }
        for note in notes { note.append(to: &lines) }
    }
}

/// Every diagnostic found while parsing or rendering; thrown whole so the operator fixes them in one pass.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map { $0.formatted() }.joined(separator: "\n") }
}
