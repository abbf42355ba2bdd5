/// The one printer: the three shapes a diagnostic takes on the way out. `text` for people and editors, `json` for
/// programs, `github` for workflow annotations on a pull request.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    case text, json, github

    /// Every diagnostic in this format, one per line (text: with source line and caret).
    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch self {
        case .text: diagnostics.map(DiagnosticFormat.text).joined(separator: "\n")
        case .json: DiagnosticFormat.json(diagnostics)
        case .github: diagnostics.map(DiagnosticFormat.github).joined(separator: "\n")
        }
    }

    /// `file:line:col: error: message [rule]`, the source line, a caret under the column, then the notes.
    public static func text(_ diagnostic: Diagnostic) -> String {
        var lines: [String] = []
        appendText(diagnostic, to: &lines)
        return lines.joined(separator: "\n")
    }

    private static func appendText(_ diagnostic: Diagnostic, to lines: inout [String]) {
        let rule = diagnostic.rule.map { " [\($0)]" } ?? ""
        if let location = diagnostic.location {
            lines.append("\(location): \(diagnostic.severity.rawValue): \(diagnostic.message)\(rule)")
            if let sourceLine = diagnostic.sourceLine {
                lines.append(sourceLine)
                // Keep tabs so the caret lines up under the same column in a terminal.
                var padding = ""
                for scalar in sourceLine.unicodeScalars.prefix(max(0, location.column - 1)) {
                    padding.append(scalar == "\t" ? "\t" : " ")
                }
                lines.append(padding + "^")
            }
        } else {
            lines.append("\(diagnostic.severity.rawValue): \(diagnostic.message)\(rule)")
        }
        for note in diagnostic.notes { appendText(note, to: &lines) }
    }

    /// A JSON array of `{"file","line","column","severity","rule","message","notes"}` objects, keys in a fixed order.
    public static func json(_ diagnostics: [Diagnostic]) -> String {
        var out: [UInt8] = Array("[".utf8)
        for (index, diagnostic) in diagnostics.enumerated() {
            out.append(contentsOf: (index == 0 ? "\n  " : ",\n  ").utf8)
            appendJSON(diagnostic, to: &out)
        }
        out.append(contentsOf: (diagnostics.isEmpty ? "]" : "\n]").utf8)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendJSON(_ diagnostic: Diagnostic, to out: inout [UInt8]) {
        var first = true
        func member(_ key: String, _ write: (inout [UInt8]) -> Void) {
            out.append(contentsOf: (first ? "{" : ", ").utf8)
            first = false
            JSONString.append(key, to: &out)
            out.append(contentsOf: ": ".utf8)
            write(&out)
        }
        if let location = diagnostic.location {
            member("file") { JSONString.append(location.file, to: &$0) }
            member("line") { $0.append(contentsOf: String(location.line).utf8) }
            member("column") { $0.append(contentsOf: String(location.column).utf8) }
        }
        member("severity") { JSONString.append(diagnostic.severity.rawValue, to: &$0) }
        member("rule") { out in
            if let rule = diagnostic.rule { JSONString.append(rule, to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        member("message") { JSONString.append(diagnostic.message, to: &$0) }
        member("notes") { out in
            out.append(UInt8(ascii: "["))
            for (index, note) in diagnostic.notes.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".utf8) }
                appendJSON(note, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `::error file=F,line=L,col=C,title=RULE::message` — GitHub's workflow command, escaped as it requires.
    /// Notes with a place of their own become annotations too, so an unclosed block is marked where it opens and
    /// where the file ends.
    public static func github(_ diagnostic: Diagnostic) -> String {
        let kind = switch diagnostic.severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
        var properties: [String] = []
        if let location = diagnostic.location {
            properties = ["file=\(escape(location.file, property: true))", "line=\(location.line)",
                          "col=\(location.column)"]
        }
        if let rule = diagnostic.rule { properties.append("title=\(escape(rule, property: true))") }
        let noteText = diagnostic.notes.map { note in
            note.location.map { "\($0): \(note.message)" } ?? note.message
        }
        let message = ([diagnostic.message] + noteText).joined(separator: "\n")
        let head = "::\(kind)\(properties.isEmpty ? "" : " " + properties.joined(separator: ","))::"
        var lines = [head + escape(message, property: false)]
        for note in diagnostic.notes where note.location != nil && note.location?.file == diagnostic.location?.file
            && note.location?.line != diagnostic.location?.line {
            lines.append(github(Diagnostic(severity: .note, rule: diagnostic.rule,
                                           message: "\(note.message) (\(diagnostic.message))", location: note.location)))
        }
        return lines.joined(separator: "\n")
    }

    private static func escape(_ text: String, property: Bool) -> String {
        var escaped = text.replacing("%", with: "%25").replacing("\r\n", with: "%0D%0A").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
        if property { escaped = escaped.replacing(":", with: "%3A").replacing(",", with: "%2C") }
        return escaped
    }
}
