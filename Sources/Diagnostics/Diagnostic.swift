/// One message for the operator, whatever found it: the template parser, the static checker, the renderer, Kea's
/// dialect reader, the semantic checks, `kea-dhcpN -t`, the snapshot reader or the NetBox data checks. Printed in
/// the compiler shape editors and CI annotate (`file:line:col: error: msg`) by `DiagnosticFormat`.
public struct Diagnostic: Sendable, Error, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning, note

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public let severity: Severity
    /// A stable name for the kind of finding (`unknown-name`, `duplicate-mac`, …), for JSON output and filters;
    /// nil for plain errors that need no name.
    public let rule: String?
    public let message: String
    public let location: SourceLocation?
    /// The text of the offending line, so the caret display needs no second read of the file.
    public let sourceLine: String?
    /// Secondary places, e.g. where an unclosed block was opened, or the line of the rendered configuration.
    public let notes: [Diagnostic]

    public init(severity: Severity, rule: String? = nil, message: String, location: SourceLocation? = nil,
                sourceLine: String? = nil, notes: [Diagnostic] = []) {
        self.severity = severity
        self.rule = rule
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
        self.notes = notes
    }

    /// A note without a place (`note: at line 5 of the rendered configuration`).
    public static func note(_ message: String, at location: SourceLocation? = nil, sourceLine: String? = nil) -> Diagnostic {
        Diagnostic(severity: .note, message: message, location: location, sourceLine: sourceLine)
    }

    public func with(severity: Severity? = nil, rule: String? = nil, message: String? = nil,
                     notes: [Diagnostic]? = nil) -> Diagnostic {
        Diagnostic(severity: severity ?? self.severity, rule: rule ?? self.rule, message: message ?? self.message,
                   location: location, sourceLine: sourceLine, notes: notes ?? self.notes)
    }

    /// "file:line:col: error: msg\n<source line>\n<spaces>^" then the notes in the same shape.
    public func formatted() -> String { DiagnosticFormat.text(self) }

    public var description: String { formatted() }
}

/// Several diagnostics thrown together, so the operator fixes them in one pass.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map { $0.formatted() }.joined(separator: "\n") }
}
