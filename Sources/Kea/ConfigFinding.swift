import Diagnostics

/// One problem found in a configuration by the semantic checks (or a reader warning), with the JSON path
/// and the position of the node so an operator can find it in a 100,000-line file.
public struct ConfigFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public let severity: Severity
    /// The finding's kind (`duplicate-mac`, `subnet-without-id`, …), as lint's JSON output names it.
    public let rule: String?
    public let message: String
    public let file: String
    public let line: Int
    public let column: Int
    /// Where in the tree, e.g. `Dhcp4.subnet4[2].reservations[5]` (empty for reader warnings).
    public let path: String
    /// Other places involved (the first of two duplicates), located in the same document.
    public let notes: [Diagnostic]

    public init(severity: Severity, rule: String? = nil, message: String, file: String, line: Int, column: Int,
                path: String, notes: [Diagnostic] = []) {
        self.severity = severity
        self.rule = rule
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.notes = notes
    }

    /// The finding as the one diagnostic type, message prefixed with its path.
    public var diagnostic: Diagnostic {
        Diagnostic(severity: severity == .error ? .error : .warning, rule: rule,
                   message: path.isEmpty ? message : "\(path): \(message)",
                   location: SourceLocation(file: file, line: line, column: column), notes: notes)
    }

    /// `file:line:column: error: path: message`.
    public var description: String {
        let prefix = path.isEmpty ? "" : "\(path): "
        return "\(file):\(line):\(column): \(severity.rawValue): \(prefix)\(message)"
    }
}
