import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Steps 4–11 of DESIGN §6: check, compare, guard, stage, validate, back up, rename, reload (and restore
/// on a failed reload), report. The caller holds the `InstallLock` (step 1) for the whole call.
///
/// The destination only ever changes by `rename`, so Kea (and a crash) sees the old file or the new one,
/// whole. Every error path removes the staged file.
public struct Installer: Sendable {
    public struct Options: Sendable {
        /// The installed configuration (`/etc/kea/kea-dhcp4.conf`).
        public var output: String
        public var check: CheckCommand = .kea
        public var reload: ReloadSpec = .controlSocket(path: nil)
        /// Default: `.kea-netbox-backups` in the output's folder.
        public var backupDirectory: String? = nil
        public var keepBackups: Int = 5
        /// Refuse when more than this fraction of the installed reservations would go (unless `force`).
        public var maxRemovedFraction: Double = 0.5
        public var force: Bool = false
        public var dryRun: Bool = false
        public var checkTimeout: Duration = .seconds(300)
        public var reloadTimeout: Duration = .seconds(60)
        /// When the run began (to include reading and rendering in the summary's time); default: `install`'s start.
        public var startedAt: ContinuousClock.Instant? = nil
        /// The environment Kea's programs get and whose Kea folder variables (`KEA_CONTROL_SOCKET_DIR`, …) the path
        /// rules honour; also where `kea-dhcpN` is looked up (PATH).
        public var environment: [String: String] = ProcessInfo.processInfo.environment
        /// The installed Kea's version; nil: asked from `kea-dhcpN -V` when the path rules need it.
        public var keaVersion: KeaVersion? = nil
        /// Set by a process that handles SIGTERM/SIGINT/SIGHUP (see `InstallInterruption`).
        public var interruption: InstallInterruption? = nil
        /// Recorded in the install state once the server runs the file (see `InstallState.inputs`).
        public var inputs: String? = nil
        /// Told between the steps and while the check command works (`watch` feeds systemd's watchdog with it).
        public var heartbeat: Heartbeat? = nil

        public init(output: String) {
            self.output = output
        }

        public var resolvedBackupDirectory: String {
            backupDirectory ?? AtomicFile.folder(of: output) + "/.kea-netbox-backups"
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func install(_ rendered: String) throws(InstallError) -> InstallReport {
        try install(bytes: Array(rendered.utf8))
    }

    /// Installs a rendered config given in UTF-8 (`RenderedConfig.bytes`: not turned into a String and back).
    public func install(bytes newBytes: [UInt8]) throws(InstallError) -> InstallReport {
        let start = options.startedAt ?? ContinuousClock.now
        // A symlinked configuration is replaced at its target (renaming over the link would turn it into a file),
        // when nobody else could have planted the link.
        let output: String
        do { output = try TrustedPath.output(options.output) } catch { throw .unsafePath(error.description) }
        // With the lock held, any staged file from before this moment belongs to a killed run.
        AtomicFile.removeStaleTemporaries(beside: output, olderThan: Date())
        AtomicFile.removeStaleTemporaries(beside: InstallState.path(for: output), olderThan: Date())
        var notes: [String] = []
        // An earlier run installed a file that no server was seen to load: settle that first.
        var notLoaded: String? = nil
        if let state = try InstallState.read(for: output), state.status == .pending {
            if options.dryRun {
                // A dry run changes nothing, not even this.
                notes.append("\(output) was installed at \(state.installedAt) but never confirmed loaded; a run without --dry-run reloads it (or restores the previous file) first")
            } else {
                let recovery = try InstallRecovery(options: options, output: output).settle(state)
                notes += recovery.notes
                notLoaded = recovery.notLoaded
            }
        }

        // Step 5's comparison is made first so that what the parse yields can fit it; the order of the verdicts
        // stays §6's.
        let previous = try AtomicFile.read(output)
        let unchanged = previous == newBytes
        // Step 4: parse and semantic checks. The parsed document is the largest thing an install holds (several
        // hundred MB at 1,000,000 reservations); it lives only in this block, so it is gone before the staged
        // file is written and Kea's `-t` (which needs as much again) reads it.
        let family: KeaFamily?
        let warnings: [ConfigFinding]
        let newSummary: ConfigSummary
        let version: KeaVersion?
        let pathViolations: [ConfigFinding]
        do {
            let document: ConfigDocument
            do {
                document = try ConfigDocument.parse(bytes: newBytes, file: output)
            } catch {
                throw InstallError.syntax(error)
            }
            options.heartbeat?.beat()
            let findings = SemanticChecks.run(document)
            if findings.contains(where: { $0.severity == .error }) { throw InstallError.findings(findings) }
            family = document.family
            warnings = document.warnings + findings
            // Contents only where there is an installed file to compare them with.
            newSummary = ConfigSummary(document, contents: previous != nil && !unchanged)
            // The folders the installed Kea allows for sockets, lease files, logs and hooks (Kea ≥ 2.4.2 / 2.6.3);
            // reported after the guards below, as before. Not asked for an unchanged file: nothing is installed.
            version = unchanged ? nil
                : options.keaVersion ?? KeaVersion.installed(family: document.family, environment: options.environment)
            pathViolations = version.map {
                PathRules.installed(version: $0, for: document, environment: options.environment).violations(in: document)
            } ?? []
        }

        var oldSummary: ConfigSummary? = nil
        // An unchanged file (the usual timer run) needs no second parse: nothing was added, removed or changed.
        if let previous, !unchanged {
            do {
                oldSummary = ConfigSummary(try ConfigDocument.parse(bytes: previous, file: output))
            } catch {
                notes.append("the installed file could not be read as a Kea configuration (\(error)); the removal guard could not count its reservations")
            }
        }
        let changes = unchanged ? ConfigSummary.Changes(added: 0, removed: 0, changed: 0)
            : (oldSummary ?? ConfigSummary.empty).changes(to: newSummary)
        func report(_ action: InstallReport.Action, diff: String? = nil, reload: ReloadOutcome? = nil,
                    method: String? = nil, backup: String? = nil, notLoaded: String? = nil) -> InstallReport {
            InstallReport(action: action, output: output, added: changes.added, removed: changes.removed,
                          changed: changes.changed, reservations: newSummary.reservationCount,
                          subnets: newSummary.subnetCount, diff: diff, reloadOutcome: reload, reloadMethod: method,
                          backupPath: backup, warnings: warnings, notes: notes, notLoaded: notLoaded,
                          elapsed: ContinuousClock.now - start)
        }
        if unchanged {
            // The server runs these bytes (settled, or nothing to settle): remember what they were made from now.
            if !options.dryRun, notLoaded == nil, let inputs = options.inputs, let previous {
                var state = (try? InstallState.read(for: output)) ?? nil
                    ?? InstallState(status: .settled, bytes: previous, backup: nil, replacedAFile: true,
                                    serverHashBefore: nil)
                if state.status == .settled, state.describes(previous), state.inputs != inputs {
                    state.inputs = inputs
                    state.reservations = newSummary.reservationCount
                    state.subnets = newSummary.subnetCount
                    try state.write(for: output)
                }
            }
            return report(.unchanged, diff: options.dryRun ? "" : nil, notLoaded: notLoaded)
        }

        options.heartbeat?.beat()

        // Step 6: removal guard.
        if previous != nil, oldSummary == nil, newSummary.reservationCount == 0, !options.force {
            throw .rejected("the new configuration has no reservations and the installed file could not be read to count its own; refusing to replace it. Use --force if this is intended")
        }
        // A renumbered subnet is guarded like a mass removal, and named: counted as reservations it would read as
        // "removes 5 of 7 reservations" while the hosts are all still there.
        if let oldSummary, !options.force {
            let renumbered = oldSummary.subnetIDChanges(to: newSummary)
            if !renumbered.isEmpty {
                throw .rejected(renumbered.map(\.description).joined(separator: "; ")
                    + "; Kea keys leases by subnet id, so the clients of a renumbered subnet lose their leases and "
                    + "every reservation in it counts as removed and added. Keep the ids stable (NetBox's prefix id "
                    + "is a good choice), or use --force if the renumbering is intended")
            }
        }
        if let oldSummary {
            try RemovalGuard(maxRemovedFraction: options.maxRemovedFraction, force: options.force)
                .check(installed: oldSummary.reservationCount, removed: changes.removed,
                       remaining: newSummary.reservationCount, wording: .configFile)
        }

        if !pathViolations.isEmpty { throw .findings(pathViolations) }

        // Step 7: stage beside the destination, with the replaced file's owner and mode.
        let ownership = AtomicFile.Ownership.forReplacing(output)
        let staged = try AtomicFile.writeTemporary(newBytes, beside: output, ownership: ownership)
        options.interruption?.staging(staged)
        var stagedExists = true
        defer {
            if stagedExists {
                unlink(staged)
                options.interruption?.staging(nil)
            }
        }

        // Step 8: the check command.
        do {
            defer { options.interruption?.checking(nil) }
            let verdict = try options.check.run(on: staged, family: family, timeout: options.checkTimeout,
                                                environment: options.environment, heartbeat: options.heartbeat,
                                                started: { options.interruption?.checking($0) })
            // The signal that stops this run may have stopped the check first (systemd signals the whole unit).
            if let signal = options.interruption?.signal { throw InstallError.interrupted(signal: signal) }
            if !verdict.accepted {
                throw InstallError.checkRejected(commandLine: verdict.commandLine.replacingOccurrences(of: staged, with: output),
                                                 message: verdict.message.replacingOccurrences(of: staged, with: output),
                                                 file: output)
            }
        } catch let error as CheckCommand.Unavailable {
            throw .checkUnavailable(error.description)
        } catch let error as InstallError {
            throw error
        } catch {
            throw .io("\(error)")
        }

        // The reloader is built before anything changes (and in a dry run), so a bad --reload is found early.
        // The running server listens where the installed configuration says, so its socket comes first.
        let reloader: any Reloader
        do {
            let socketPath = PathRules.controlSocketLocation(oldSummary?.controlSocketPath ?? newSummary.controlSocketPath,
                                                             version: version, environment: options.environment)
            reloader = try options.reload.makeReloader(socketPath: socketPath, family: family,
                                                       timeout: options.reloadTimeout)
            try reloader.preflight()
        } catch {
            throw .io("cannot reload: \(error.message)")
        }

        if options.dryRun {
            let diff = UnifiedDiff.make(installed: previous == nil ? nil : output, staged: staged, destination: output)
            return report(.dryRun, diff: diff, method: reloader.methodDescription)
        }

        // What the server runs now, so that a later run can tell whether it ever loaded the new file.
        let hashBefore = version?.hasConfigHash == true ? reloader.configHash() : nil

        // Step 9: back up, rename, fsync the folder. From the commit on, a signal waits for the reload's answer.
        guard options.interruption?.commit() ?? true else {
            throw .interrupted(signal: options.interruption?.signal ?? SIGTERM)
        }
        var backupPath: String? = nil
        if let previous {
            backupPath = try BackupStore(folder: options.resolvedBackupDirectory, keep: options.keepBackups)
                .save(previous, of: output)
        }
        var pendingState = InstallState(status: .pending, bytes: newBytes, backup: backupPath, replacedAFile: previous != nil,
                                     serverHashBefore: hashBefore, inputs: options.inputs)
        pendingState.reservations = newSummary.reservationCount
        pendingState.subnets = newSummary.subnetCount
        try pendingState.write(for: output)
        try AtomicFile.rename(staged, over: output)
        stagedExists = false
        options.interruption?.staging(nil)

        // Step 10: reload; on failure put the previous file back and reload again.
        options.heartbeat?.beat()
        let outcome: ReloadOutcome
        do {
            outcome = try reloader.reload()
        } catch {
            let message = try InstallRecovery(options: options, output: output)
                .restore(previous, ownership: ownership, reloader: reloader, because: error.message)
            throw .reloadFailed(message, restored: true)
        }
        if case .notRunning(let reason) = outcome {
            // The state stays pending: the next run reloads (or restores) before anything else.
            return report(.installed, reload: outcome, method: reloader.methodDescription, backup: backupPath,
                          notLoaded: reason)
        }
        var settledState = InstallState(status: .settled, bytes: newBytes, backup: backupPath, replacedAFile: previous != nil,
                                     serverHashBefore: hashBefore, inputs: options.inputs)
        settledState.reservations = newSummary.reservationCount
        settledState.subnets = newSummary.subnetCount
        try settledState.write(for: output)
        return report(.installed, reload: outcome, method: reloader.methodDescription, backup: backupPath)
    }

    /// The file an install writes (and names in its findings): the output, or a symlinked output's target.
    public static func destination(of path: String) -> String {
        (try? TrustedPath.output(path)) ?? path
    }
}
