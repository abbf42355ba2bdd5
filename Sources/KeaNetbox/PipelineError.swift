import Templating

/// Every way a kea-netbox run can fail, each with the exit code of DESIGN.md §5, so cron jobs and timers can
/// tell a NetBox outage (3) from a template bug (2) from a config Kea would refuse (4).
public enum PipelineError: Error, Sendable {
    /// Template syntax or rendering errors (exit 2), each already located.
    case template([Diagnostic])
    /// NetBox unreachable, bad snapshot (exit 3).
    case dataSource(String)
    /// The rendered config was rejected: JSON, semantic checks, check command or removal guard (exit 4).
    case rejected(String)
    /// Kea did not accept the reload; the previous config was restored (exit 5).
    case reloadFailed(String)
    /// Anything else: I/O, lock, missing program (exit 1).
    case failure(String)
    /// Stopped by a signal before anything was installed (exit 128 + the signal: 143 for SIGTERM).
    case interrupted(String, signal: Int32)

    public var exitCode: Int32 {
        switch self {
        case .template: 2
        case .dataSource: 3
        case .rejected: 4
        case .reloadFailed: 5
        case .failure: 1
        case .interrupted(_, let signal): 128 + signal
        }
    }

    /// The text to print on standard error.
    public var message: String {
        switch self {
        case .template(let diagnostics): diagnostics.map { $0.formatted() }.joined(separator: "\n")
        case .dataSource(let text), .rejected(let text), .reloadFailed(let text), .failure(let text),
             .interrupted(let text, _): text
        }
    }
}
