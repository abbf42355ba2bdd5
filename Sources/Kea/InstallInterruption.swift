import Foundation
import Synchronization

/// Where an install stands when SIGTERM, SIGINT or SIGHUP arrives (a systemd stop, a timeout, Ctrl-C), and so what
/// the signal may do. Before the new file is renamed into place nothing has changed: the run may stop at once (the
/// staged file removed). From the rename on, stopping would leave a file that no server was asked to load — or
/// one that the server refused, with Kea then serving nobody — so the run finishes the reload (and the rollback)
/// first; the state file covers a SIGKILL in that window.
///
/// The process's signal handler (the executable owns it) calls `received`; the installer calls `staging` and
/// `commit`. One lock orders the two, so a signal never lands between "may stop" and the rename.
public final class InstallInterruption: Sendable {
    public enum Decision: Sendable, Equatable {
        /// Nothing installed: stop these process groups (the check command), remove these files, then exit.
        case stopNow(remove: [String], stop: [pid_t])
        /// The file is installed: the run ends after the reload (and rollback), then exits.
        case finishFirst
    }

    private struct State {
        var signal: Int32? = nil
        var committed = false
        var staged: [String] = []
        var checker: pid_t? = nil
    }

    private let state = Mutex(State())

    public init() {}

    /// "SIGTERM" for messages.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }

    /// The first signal received, if any.
    public var signal: Int32? { state.withLock { $0.signal } }

    /// For the signal handler: what this signal may do now. While it returns `.stopNow` the installer cannot
    /// commit, so a handler that then exits never races the rename.
    public func received(_ signal: Int32) -> Decision {
        state.withLock { state in
            if state.signal == nil { state.signal = signal }
            return state.committed ? .finishFirst : .stopNow(remove: state.staged, stop: state.checker.map { [$0] } ?? [])
        }
    }

    /// A staged file that a stop must remove (nil: it is gone or has been renamed).
    func staging(_ path: String?) {
        state.withLock { state in state.staged = path.map { [$0] } ?? [] }
    }

    /// The running check command (its own process group: a Ctrl-C in a terminal does not reach it), nil when done.
    func checking(_ pid: pid_t?) {
        state.withLock { state in state.checker = pid }
    }

    /// Called just before the rename: false when a signal came first (do not install).
    func commit() -> Bool {
        state.withLock { state in
            guard state.signal == nil else { return false }
            state.committed = true
            return true
        }
    }
}
