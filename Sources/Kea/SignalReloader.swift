import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP to the pid in Kea's pid file (Kea runs the same code as `config-reload`). A signal has no
/// reply, so a failed reload cannot be seen here (and the previous file is not restored): prefer the
/// control socket when Kea has one.
public struct SignalReloader: Reloader {
    public let pidFile: String

    public init(pidFile: String) {
        self.pidFile = pidFile
    }

    public var methodDescription: String { "SIGHUP (pid file \(pidFile))" }

    public func reload() throws(ReloadError) -> ReloadOutcome {
        let text: String
        do {
            text = try String(contentsOfFile: pidFile, encoding: .utf8)
        } catch {
            if !FileManager.default.fileExists(atPath: pidFile) {
                return .notRunning(reason: "no pid file \(pidFile)")
            }
            throw ReloadError("cannot read pid file \(pidFile): \(error.localizedDescription)")
        }
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else {
            throw ReloadError("pid file \(pidFile) does not hold a process id: \"\(text.prefix(40))\"")
        }
        if kill(pid, 0) != 0 {
            if errno == ESRCH { return .notRunning(reason: "process \(pid) from \(pidFile) is not running") }
            throw ReloadError("cannot signal process \(pid) from \(pidFile): \(AtomicFile.errorText())")
        }
        guard kill(pid, SIGHUP) == 0 else {
            throw ReloadError("cannot send SIGHUP to process \(pid): \(AtomicFile.errorText())")
        }
        return .reloaded(detail: "SIGHUP sent to pid \(pid); Kea does not report the result of a signal reload, see its log")
    }
}
