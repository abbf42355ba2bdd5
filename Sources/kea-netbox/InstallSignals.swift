import Diagnostics
import Dispatch
import Foundation
import Kea

/// The self-pipe a C signal handler writes a signal's number to. Process-wide because a signal handler can reach
/// nothing else; made once, before any handler is installed, and never changed.
private let signalPipe: (read: Int32, write: Int32) = {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { return (-1, -1) }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    // A full pipe must never block the handler (one byte per signal; the first signal is what counts).
    _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
    return (ends[0], ends[1])
}()

/// SIGTERM, SIGINT and SIGHUP during `install` (a systemd stop or timeout, Ctrl-C, a closed terminal). Before the new
/// file is in place the run stops at once, removing what it staged; from the rename on it finishes the reload —
/// and, if the server refuses the file, the rollback — within the reload time limits, then exits with its own code
/// (see `InstallInterruption`).
///
/// A real handler (sigaction) writes the number to a pipe and a Dispatch source acts on it as ordinary code. Not a
/// Dispatch signal source: on Linux that works only while every thread blocks the signal, and whether a thread does
/// depends on what the parent handed down — under load a SIGTERM was then lost, or acted on only after the check.
struct InstallSignals {
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    let interruption = InstallInterruption()
    private let source: (any DispatchSourceRead)?

    init() {
        let interruption = interruption
        let pipe = signalPipe
        guard pipe.read >= 0 else {
            source = nil
            return
        }
        let reader = DispatchSource.makeReadSource(fileDescriptor: pipe.read, queue: .global())
        reader.setEventHandler {
            var byte: UInt8 = 0
            while read(pipe.read, &byte, 1) == 1 {
                InstallSignals.act(on: Int32(byte), interruption: interruption)
            }
        }
        reader.resume()
        source = reader
        // A parent may hand the signals down blocked (a test runner's thread, some supervisors): unblocked here, in
        // the main thread, they reach the handler; Dispatch's own threads keep them blocked.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in Self.handled { sigaddset(&unblock, number) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for number in Self.handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipe.write, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            // Interrupted system calls (a read from the control socket) restart: the run goes on after a signal.
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    private static func act(on number: Int32, interruption: InstallInterruption) {
        let name = InstallInterruption.name(of: number)
        switch interruption.received(number) {
        case .stopNow(let staged, let checkers):
            for group in checkers { kill(-group, SIGTERM) }
            for path in staged { unlink(path) }
            Terminal.report([Diagnostic.note(InstallError.interrupted(signal: number).description)])
            exit(128 + number)
        case .finishFirst:
            Terminal.report([Diagnostic.note("kea-netbox: \(name) received after the new file was installed: finishing the reload (and the rollback, if the server refuses it) before exiting")])
        }
    }

    /// The signal that arrived while the run finished its reload, if any.
    var deferredSignal: Int32? { interruption.signal }

    func cancel() {
        for number in Self.handled { signal(number, SIG_DFL) }
        source?.cancel()
    }
}
