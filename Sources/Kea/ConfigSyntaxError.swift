import Diagnostics

/// A syntax error in Kea's JSON dialect, at the place where the reader stopped (an unterminated string
/// or comment is reported where it starts).
public struct ConfigSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var diagnostic: Diagnostic {
        Diagnostic(severity: .error, rule: "kea-syntax", message: "not valid Kea JSON: \(message)",
                   location: SourceLocation(file: file, line: line, column: column))
    }

    /// `file:line:column: error: message`, the shape compilers and editors understand.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}
