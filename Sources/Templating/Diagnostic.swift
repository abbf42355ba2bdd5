import Diagnostics

/// Every diagnostic found while parsing or rendering; thrown whole so the operator fixes them in one pass.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map { $0.formatted() }.joined(separator: "\n") }
}
