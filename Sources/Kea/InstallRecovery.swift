import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Putting the server and the installed file back in step: after a reload that failed (restore the previous file,
/// reload it), and at the start of a run that finds an earlier install never confirmed loaded (a server that was
/// down, a run killed between the rename and the reload's answer): reload it — or, when the server refuses it now,
/// restore the file it replaced — before this run does anything else.
struct InstallRecovery {
    let options: Installer.Options
    let output: String

    /// What settling an earlier install did, for the run's notes; `notLoaded` when the server still was not reached.
    struct Settled {
        var notes: [String]
        var notLoaded: String?
    }

    func settle(_ state: InstallState) throws(InstallError) -> Settled {
        let since = "\(output) was installed at \(state.installedAt) but never confirmed loaded"
        guard let installed = try AtomicFile.read(output), state.describes(installed) else {
            unlink(InstallState.path(for: output))
            return Settled(notes: ["\(since); the file there now is another one (changed since, or that run stopped before the rename), so that install is over"])
        }
        let document = try? ConfigDocument.parse(bytes: installed, file: output)
        let reloader: any Reloader
        do {
            let version = options.keaVersion ?? KeaVersion.installed(family: document?.family, environment: options.environment)
            let socketPath = PathRules.controlSocketLocation(document?.controlSocketPath, version: version,
                                                             environment: options.environment)
            reloader = try options.reload.makeReloader(socketPath: socketPath, family: document?.family,
                                                       timeout: options.reloadTimeout)
        } catch {
            throw .io("cannot reload the unconfirmed \(output): \(error.message)")
        }
        // Kea ≥ 2.4: a hash other than the one from before the install means the server loaded a configuration
        // since (a restart, or the killed run's reload), and the installed file is the only one it can have read.
        if let before = state.serverHashBefore, let now = reloader.configHash(), now != before {
            try settled(state)
            return Settled(notes: ["\(since); the server's configuration hash has changed since, so it runs it"])
        }
        let outcome: ReloadOutcome
        do {
            outcome = try reloader.reload()
        } catch {
            let reason = "\(since); the server refused it now: \(error.message)"
            let previous: [UInt8]?
            // Nothing to restore: say so and go on, since this run's own install may be the fix.
            if let backup = state.backup {
                guard let saved = try AtomicFile.read(backup) else {
                    return Settled(notes: ["\(reason)\nthe previous file's backup \(backup) is gone: nothing to restore"],
                                   notLoaded: reason)
                }
                previous = saved
            } else if state.replacedAFile {
                return Settled(notes: ["\(reason)\nthere is no older file to restore"], notLoaded: reason)
            } else {
                previous = nil
            }
            let message = try restore(previous, ownership: .forReplacing(output), reloader: reloader, because: reason)
            return Settled(notes: [message + "\nthe previous file was restored"])
        }
        if case .notRunning(let reason) = outcome {
            return Settled(notes: ["\(since); still not reloaded: server not running (\(reason))"], notLoaded: reason)
        }
        try settled(state)
        return Settled(notes: ["\(since); reloaded it now via \(reloader.methodDescription)"])
    }

    /// Puts `previous` back in place (removes the output when there was none) and reloads the server with it.
    /// Returns the message for the failed reload; throws only when the file could not be put back.
    func restore(_ previous: [UInt8]?, ownership: AtomicFile.Ownership, reloader: any Reloader,
                 because reason: String) throws(InstallError) -> String {
        var message = reason
        do {
            if let previous {
                try AtomicFile.replace(output, with: previous, ownership: ownership)
            } else if unlink(output) != 0 {
                throw InstallError.io("cannot remove \(output): \(AtomicFile.errorText())")
            }
        } catch {
            throw .reloadFailed(message + "\nrestoring the previous file failed: \(error)", restored: false)
        }
        // Pending unless the server took the restored file: the next run reloads it again, and says so if that
        // fails (there is nothing older to restore).
        var status = InstallState.Status.pending
        do {
            if case .reloaded = try reloader.reload() { status = .settled }
        } catch {
            message += "\nreloading the restored previous file failed too: \(error.message)"
        }
        if let previous {
            // The file is back; a state that cannot be written only costs the next run a reload.
            try? InstallState(status: status, bytes: previous, backup: nil, replacedAFile: true,
                              serverHashBefore: nil).write(for: output)
        } else {
            unlink(InstallState.path(for: output))
        }
        return message
    }

    private func settled(_ state: InstallState) throws(InstallError) {
        var settled = state
        settled.status = .settled
        try settled.write(for: output)
    }
}
