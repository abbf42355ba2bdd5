import Diagnostics

/// Every way a kea-netbox run can fail, each with the exit code of DESIGN.md §5, so cron jobs and timers can
/// tell a NetBox outage (3) from a template bug (2) from a config Kea would refuse (4). What went wrong is a list
/// of diagnostics, located where that is known (a template line, a snapshot line, the template line that rendered
/// a rejected part of the config).
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Template syntax or rendering errors (exit 2).
        case template
        /// NetBox unreachable, bad snapshot (exit 3).
        case dataSource
        /// The rendered config was rejected: JSON, semantic checks, check command or removal guard (exit 4).
        case rejected
        /// Kea did not accept the reload; the previous config was restored (exit 5).
        case reloadFailed
        /// Anything else: I/O, lock, missing program (exit 1).
        case failure
        /// Stopped by a signal before anything was installed (exit 128 + the signal: 143 for SIGTERM).
        case interrupted(signal: Int32)
    }

    public let kind: Kind
    public let diagnostics: [Diagnostic]

    public init(_ kind: Kind, _ diagnostics: [Diagnostic]) {
        self.kind = kind
        self.diagnostics = diagnostics
    }

    public init(_ kind: Kind, _ message: String) {
        self.init(kind, [Diagnostic(severity: .error, message: message)])
    }

    public static func template(_ diagnostics: [Diagnostic]) -> PipelineError { PipelineError(.template, diagnostics) }
    public static func dataSource(_ message: String) -> PipelineError { PipelineError(.dataSource, message) }
    public static func rejected(_ message: String) -> PipelineError { PipelineError(.rejected, message) }
    public static func reloadFailed(_ message: String) -> PipelineError { PipelineError(.reloadFailed, message) }
    public static func failure(_ message: String) -> PipelineError { PipelineError(.failure, message) }

    public var exitCode: Int32 {
        switch kind {
        case .template: 2
        case .dataSource: 3
        case .rejected: 4
        case .reloadFailed: 5
        case .failure: 1
        case .interrupted(let signal): 128 + signal
        }
    }

    /// The text to print on standard error.
    public var message: String { DiagnosticFormat.text.render(diagnostics) }

    public var description: String { message }
}
