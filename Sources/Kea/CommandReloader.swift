import Foundation

/// Runs a shell command (`systemctl reload …`, `kea-shell …`, `ssh …`); exit status 0 means reloaded.
public struct CommandReloader: Reloader {
    public let command: String
    public let timeout: Duration

    public init(command: String, timeout: Duration = .seconds(60)) {
        self.command = command
        self.timeout = timeout
    }

    public var methodDescription: String { "command \(command)" }

    public func reload() throws(ReloadError) -> ReloadOutcome {
        let outcome: ProcessRunner.Outcome
        do {
            outcome = try ProcessRunner.run("/bin/sh", ["-c", command], timeout: timeout)
        } catch {
            throw ReloadError("cannot run reload command \(command): \(error.localizedDescription)")
        }
        if outcome.timedOut { throw ReloadError("reload command \(command) did not finish within \(timeout)") }
        let said = [outcome.standardError, outcome.standardOutput]
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
        guard outcome.status == 0 else {
            throw ReloadError("reload command \(command) exited with status \(outcome.status)" + (said.isEmpty ? "" : ": \(said)"))
        }
        return .reloaded(detail: said)
    }
}
