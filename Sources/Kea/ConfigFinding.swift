/// One problem found in a configuration by the semantic checks (or a reader warning), with the JSON path
/// and the position of the node so an operator can find it in a 100,000-line file.
public struct ConfigFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public let severity: Severity
    public let message: String
    public let file: String
    public let line: Int
    public let column: Int
    /// Where in the tree, e.g. `Dhcp4.subnet4[2].reservations[5]` (empty for reader warnings).
    public let path: String

    public init(severity: Severity, message: String, file: String, line: Int, column: Int, path: String) {
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.path = path
    }

    /// `file:line:column: error: path: message`.
    public var description: String {
        let prefix = path.isEmpty ? "" : "\(path): "
        return "\(file):\(line):\(column): \(severity.rawValue): \(prefix)\(message)"
    }
}
