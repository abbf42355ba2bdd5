import Diagnostics
import Foundation
import Kea
import NetBox
import Templating

/// `kea-netbox install`: DESIGN.md §6 from end to end. Steps 1–3 (lock, read NetBox, render) happen here;
/// the Kea module's `Installer` does steps 4–11 while the lock is held.
public struct InstallPipeline: Sendable {
    public let template: String
    public let source: DataSource
    public let variables: TemplateVariables
    public let options: Installer.Options
    public let lockTimeout: Duration
    /// `--full`: read, render and compare even when the change probe says nothing changed.
    public let full: Bool
    /// The change probe of a database or API source (`watch` passes its own, which keeps its connection).
    public let probe: (any NetBoxChangeProbe)?

    public init(template: String, source: DataSource, variables: TemplateVariables = TemplateVariables(),
                options: Installer.Options, lockTimeout: Duration = .seconds(60), full: Bool = false,
                probe: (any NetBoxChangeProbe)? = nil) {
        self.template = template
        self.source = source
        self.variables = variables
        self.options = options
        self.lockTimeout = lockTimeout
        self.full = full
        self.probe = probe ?? source.changeProbe()
    }

    /// What an install did, and what the operator should be told about the data and the template.
    public struct Outcome: Sendable {
        public let report: InstallReport
        /// nil when the change probe ended the run before anything was read or rendered.
        public let rendered: RenderedConfig?
        public let dataWarnings: DataWarningSummary?
    }

    /// `dataWarnings` is told about bad NetBox data once the render shows which of it the template uses, before
    /// anything is installed, so the operator sees it also when a later step fails.
    public func run(dataWarnings: (DataWarningSummary) -> Void = { _ in }) throws(PipelineError) -> Outcome {
        var options = options
        options.startedAt = options.startedAt ?? .now
        let loader = RecordingLoader()
        let templateSource = try ConfigRenderer.loadTemplate(at: template, loader: loader)
        // Step 1: the lock covers reading NetBox too, so two runs never install in the opposite order of their reads.
        let lock: InstallLock
        do {
            lock = try InstallLock(output: options.output, timeout: lockTimeout)
        } catch {
            throw PipelineError(error)
        }
        defer { withExtendedLifetime(lock) {} }
        options.heartbeat?.beat()
        let destination = Installer.destination(of: options.output)
        if !full, !options.dryRun, let report = unchangedSinceInstall(destination, startedAt: options.startedAt ?? .now) {
            return Outcome(report: report, rendered: nil, dataWarnings: nil)
        }
        // The installed Kea's version for `kea.version` and the path rules, asked only by a run that renders. Which
        // programs answer is among the arguments and their files among the inputs, so another or an upgraded Kea
        // is a change without asking `-V` each time.
        var keaPrograms: [String] = []
        if options.keaVersion == nil {
            keaPrograms = KeaVersion.programs(environment: options.environment)
            options.keaVersion = KeaVersion.installed(environment: options.environment)
        }
        // Marked before the read: whatever commits later moves the next mark (the read may see it too, which costs
        // one needless read at most, never a missed change). A probe that fails leaves no mark: no skip next time.
        let mark = try? probe?.mark(base: nil)
        var files = InstallInputs.Files()
        if case .snapshotFile(let path) = source, path != "-" { files = InstallInputs.files([path]) }
        files.merge(InstallInputs.files(keaPrograms))
        // Steps 2–3: nothing on disk is touched until the whole config exists in memory.
        let (rendered, keptSnapshot) = try readAndRender(templateSource, loader: loader, kea: options.keaVersion,
                                                         heartbeat: options.heartbeat, dataWarnings: dataWarnings)
        if case .snapshotFile(let path) = source, path == "-" {
            // Standard input leaves nothing to compare: every run reads it.
        } else if probe == nil || mark != nil {
            files.merge(loader.loaded)
            options.inputs = InstallInputs(files: files, arguments: arguments, netbox: mark).text
        }
        do {
            return Outcome(report: try Installer(options: options).install(bytes: rendered.config.bytes), rendered: rendered.config,
                           dataWarnings: rendered.dataWarnings)
        } catch {
            guard let found = error.configDiagnostics else { throw PipelineError(error) }
            // The rendered text was never written where the messages say: report at the template's lines, from a
            // repeat of the render (with the data read again unless it was kept).
            var located = found
            if let snapshot = keptSnapshot ?? (try? source.load())?.snapshot {
                located = ConfigRenderer(snapshot: snapshot, variables: variables, loader: loader, kea: options.keaVersion)
                    .locate(found, renderedAs: Installer.destination(of: options.output), templateAt: template,
                            rendered: rendered.config.text)
            }
            let errors = located.filter { $0.severity == .error }.count
            let headline = Diagnostic(severity: .error, message: "the rendered configuration was rejected (\(errors) error\(errors == 1 ? "" : "s")); nothing was installed")
            throw PipelineError(.rejected, [headline] + located)
        }
    }
}

extension InstallPipeline {
    /// Steps 2–3, and the warnings about NetBox's data once the render shows which of it the template uses. The
    /// snapshot is dropped when the render is done unless the source cannot give it again (standard input): at
    /// 1,000,000 reservations it is hundreds of MB that the checks and Kea's `-t` would otherwise run beside, and
    /// only a rejection needs it (to trace the rejected lines to the template).
    private func readAndRender(_ templateSource: TemplateSource, loader: RecordingLoader, kea: KeaVersion?,
                               heartbeat: Heartbeat?, dataWarnings: (DataWarningSummary) -> Void) throws(PipelineError)
        -> (rendered: (config: RenderedConfig, dataWarnings: DataWarningSummary), keptSnapshot: Snapshot?)
    {
        let (snapshot, warnings) = try source.load()
        heartbeat?.beat()
        let rendered: RenderedConfig
        do {
            rendered = try ConfigRenderer(snapshot: snapshot, variables: variables, loader: loader, kea: kea)
                .render(templateSource, expectedSize: OutputFile.existingSize(Installer.destination(of: options.output)))
        } catch {
            dataWarnings(DataWarningSummary(warnings, lookedUp: nil))
            throw error
        }
        heartbeat?.beat()
        let summary = DataWarningSummary(warnings, lookedUp: rendered.lookedUpSubnets)
        dataWarnings(summary)
        return ((rendered, summary), source.canLoadAgain ? nil : snapshot)
    }

    /// Everything on the command line that shapes the installed file or how it is installed (not the conninfo:
    /// it may hold a password, and NetBox's change mark stands for the data).
    var arguments: [String] {
        let from: String
        switch source {
        case .snapshotFile(let path): from = "data \(path)"
        case .database: from = "database"
        case .netboxAPI(let url, _, _, _):
            // Without any user:password part of the URL: these arguments are stored in the install state.
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            components?.user = nil
            components?.password = nil
            from = "netbox-url \(components?.string ?? "")"
        }
        return [template, from, "set " + variables.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
         "check \(options.check)", "reload \(options.reload)", "force \(options.force)",
         "max-removed \(options.maxRemovedFraction)", "backups \(options.resolvedBackupDirectory) \(options.keepBackups)",
         "kea " + (options.keaVersion.map { "\($0)" } ?? KeaVersion.programs(environment: options.environment).joined(separator: " "))]
    }

    /// The report of a run with nothing to do: the server was seen to load the installed file, which is the one the
    /// state describes, and neither NetBox (one probe query), the template files nor the arguments changed since.
    /// nil means "do the whole run", also when the probe fails (the read then reports why).
    ///
    /// Nothing here grows with the data: the files (template, includes, snapshot, the installed file) are compared by
    /// their stamps, and read and hashed only when a stamp differs or was not recorded yet (`FileStamp`).
    func unchangedSinceInstall(_ destination: String, startedAt: ContinuousClock.Instant) -> InstallReport? {
        guard let state = (try? InstallState.read(for: destination)) ?? nil, state.status == .settled,
              let inputs = InstallInputs(text: state.inputs), inputs.arguments == arguments,
              inputs.files.keys.contains(template), state.reservations != nil
        else { return nil }
        if let stored = inputs.netbox {
            guard let probe, let now = try? probe.mark(base: stored.base), now == stored else { return nil }
        } else if probe != nil {
            return nil
        }
        let files = InstallInputs.files(inputs.files.keys, known: inputs.recorded)
        guard files.digests == inputs.files else { return nil }
        let installed = state.stillDescribes(destination)
        guard installed.matches else { return nil }
        // Stamps learnt by reading are kept (under the lock), so the next run reads nothing; failing to keep them
        // costs that run a read, nothing else.
        var updated = installed.restamped ?? state
        if files != inputs.recorded {
            var refreshed = inputs
            refreshed.stamps = files.stamps.isEmpty ? nil : files.stamps
            updated.inputs = refreshed.text
        }
        if updated != state { try? updated.write(for: destination) }
        return .inputsUnchanged(output: destination, state: state, elapsed: .now - startedAt)
    }
}

extension PipelineError {
    /// Install failures keep the Kea module's exit codes (4 rejected, 5 reload failed, 1 otherwise).
    init(_ error: InstallError) {
        if case .interrupted(let signal) = error {
            self = PipelineError(.interrupted(signal: signal), error.description)
            return
        }
        switch error.exitCode {
        case 4: self = .rejected(error.description)
        case 5: self = .reloadFailed(error.description)
        default: self = .failure(error.description)
        }
    }
}
