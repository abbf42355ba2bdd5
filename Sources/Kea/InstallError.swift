import Diagnostics

/// Why an install stopped, with the exit code DESIGN §5 gives it.
public enum InstallError: Error, Sendable, CustomStringConvertible {
    /// The rendered configuration is not valid JSON for Kea.
    case syntax(ConfigSyntaxError)
    /// Semantic checks found errors (warnings may be included for context).
    case findings([ConfigFinding])
    /// The check command (`kea-dhcpN -t`) rejected it; its message names the output path, not the staged file.
    case checkRejected(commandLine: String, message: String, file: String)
    /// Refused for another reason: the removal guard.
    case rejected(String)
    /// The reload failed; `restored` tells whether the previous file is back in place.
    case reloadFailed(String, restored: Bool)
    /// The output, its lock or the backup folder is reached through a link or folder another user could have
    /// planted, or is not a regular file (`TrustedPath`).
    case unsafePath(String)
    /// Could not take the install lock in time.
    case lockTimeout(String)
    /// The check command could not be run (program missing, timeout).
    case checkUnavailable(String)
    /// File system and other failures.
    case io(String)
    /// SIGTERM, SIGINT or SIGHUP arrived before anything was installed; the run stopped there.
    case interrupted(signal: Int32)

    /// 4 rejected (an unsafe path too), 5 reload failed, 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .syntax, .findings, .checkRejected, .rejected, .unsafePath: return 4
        case .reloadFailed: return 5
        case .lockTimeout, .checkUnavailable, .io: return 1
        // The shell's convention for "ended by this signal".
        case .interrupted(let signal): return 128 + signal
        }
    }

    public var description: String {
        switch self {
        case .syntax(let error):
            return "rendered configuration rejected: \(error)"
        case .findings(let findings):
            let errors = findings.filter { $0.severity == .error }.count
            return "rendered configuration rejected: \(errors) error\(errors == 1 ? "" : "s")\n"
                + findings.map(\.description).joined(separator: "\n")
        case .checkRejected(let commandLine, let message, _):
            return "rendered configuration rejected: \(commandLine) rejected it:\n\(message)"
        case .rejected(let message):
            return "rendered configuration rejected: \(message)"
        case .reloadFailed(let message, let restored):
            return "reload failed: \(message)\n" + (restored
                ? "the previous configuration was restored"
                : "the previous configuration could NOT be restored: check the server now")
        case .lockTimeout(let message), .checkUnavailable(let message), .io(let message), .unsafePath(let message):
            return message
        case .interrupted(let signal):
            return "\(InstallInterruption.name(of: signal)): stopped before anything was installed; nothing changed"
        }
    }

    /// The rejection as located diagnostics (in the coordinates of the checked file), for mapping back to the
    /// template that rendered it; nil for failures that are not about the configuration's content.
    public var configDiagnostics: [Diagnostic]? {
        switch self {
        case .syntax(let error):
            return [error.diagnostic]
        case .findings(let findings):
            return findings.map(\.diagnostic)
        case .checkRejected(let commandLine, let message, let file):
            return [KeaMessage.diagnostic(commandLine: commandLine, message: message, file: file)]
        case .rejected, .reloadFailed, .lockTimeout, .checkUnavailable, .io, .interrupted, .unsafePath:
            return nil
        }
    }
}
