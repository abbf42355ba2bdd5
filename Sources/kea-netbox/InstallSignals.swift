import Diagnostics
import Dispatch
import Foundation
import Kea

/// SIGTERM, SIGINT and SIGHUP during `install` (a systemd stop or timeout, Ctrl-C, a closed terminal). Before the new
/// file is in place the run stops at once, removing what it staged; from the rename on it finishes the reload —
/// and, if the server refuses the file, the rollback — within the reload time limits, then exits with its own code
/// (see `InstallInterruption`). Signals are taken from a Dispatch source rather than a C handler, so the decision
/// runs as ordinary code and can take the installer's lock.
struct InstallSignals {
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    let interruption = InstallInterruption()
    private let sources: [any DispatchSourceSignal]

    init() {
        let interruption = interruption
        sources = Self.handled.map { number in
            // Ignored by the default disposition so the source sees it; children get default handlers back
            // (ProcessRunner resets every signal in the child).
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let name = InstallInterruption.name(of: number)
                switch interruption.received(number) {
                case .stopNow(let staged, let checkers):
                    for group in checkers { kill(-group, SIGTERM) }
                    for path in staged { unlink(path) }
                    Terminal.report([Diagnostic.note("kea-netbox: \(name): stopped before anything was installed; nothing changed")])
                    exit(128 + number)
                case .finishFirst:
                    Terminal.report([Diagnostic.note("kea-netbox: \(name) received after the new file was installed: finishing the reload (and the rollback, if the server refuses it) before exiting")])
                }
            }
            source.resume()
            return source
        }
    }

    /// The signal that arrived while the run finished its reload, if any.
    var deferredSignal: Int32? { interruption.signal }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
