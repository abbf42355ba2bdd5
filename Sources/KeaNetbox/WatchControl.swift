import Dispatch
import Kea
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What signals ask of a running `watch`, shared between the signal handlers and the loop: SIGTERM/SIGINT stop it
/// between steps (an install under way stops before its rename, or finishes its reload first, as `install` does);
/// SIGHUP makes it re-read and re-render every template. Waiting wakes up as soon as one arrives.
public final class WatchControl: Sendable {
    private struct State {
        var stop: Int32? = nil
        var reread = false
        var install: InstallInterruption? = nil
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    public init() {}

    /// For the signal handler.
    public func received(_ signal: Int32) {
        let install: InstallInterruption? = state.withLock { state in
            if signal == SIGHUP {
                state.reread = true
                return nil
            }
            if state.stop == nil { state.stop = signal }
            return state.install
        }
        // The install decides for itself at its next step (it never exits the process from here); a check command
        // under way is stopped rather than waited for (at 1,000,000 reservations `kea-dhcpN -t` takes minutes, and
        // a hung one would hold the stop until its time-out), and the install then ends as interrupted.
        if case .stopNow(_, let checks)? = install?.received(signal) {
            for group in checks { kill(-group, SIGTERM) }
        }
        wake.signal()
    }

    /// The signal that asked to stop, if one did.
    public var stopSignal: Int32? { state.withLock { $0.stop } }

    /// True once after SIGHUP.
    func takeReread() -> Bool {
        state.withLock { state in
            defer { state.reread = false }
            return state.reread
        }
    }

    /// Whether SIGHUP is waiting to be taken (the wait then ends early).
    func rereadAsked() -> Bool {
        state.withLock { $0.reread }
    }

    /// A fresh interruption for the install about to run (nil when a stop is already asked for: do not start it).
    func beginInstall() -> InstallInterruption? {
        state.withLock { state in
            guard state.stop == nil else { return nil }
            let interruption = InstallInterruption()
            state.install = interruption
            return interruption
        }
    }

    func endInstall() {
        state.withLock { $0.install = nil }
    }

    /// Sleeps until `deadline` or a signal, whichever comes first.
    func wait(until deadline: ContinuousClock.Instant) {
        let left = deadline - .now
        guard left > .zero else { return }
        let nanoseconds = left.components.seconds * 1_000_000_000 + left.components.attoseconds / 1_000_000_000
        _ = wake.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
    }
}
