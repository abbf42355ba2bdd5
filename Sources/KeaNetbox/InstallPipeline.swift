import Diagnostics
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
    /// Told about bad NetBox data as soon as it is read, so the operator sees it even when a later step fails.
    public let warn: @Sendable (Diagnostic) -> Void

    public init(template: String, source: DataSource, variables: TemplateVariables = TemplateVariables(),
                options: Installer.Options, lockTimeout: Duration = .seconds(60),
                warn: @escaping @Sendable (Diagnostic) -> Void = { _ in }) {
        self.template = template
        self.source = source
        self.variables = variables
        self.options = options
        self.lockTimeout = lockTimeout
        self.warn = warn
    }

    /// What an install did, and what the operator should be told about the data and the template.
    public struct Outcome: Sendable {
        public let report: InstallReport
        public let rendered: RenderedConfig
    }

    public func run() throws(PipelineError) -> Outcome {
        var options = options
        options.startedAt = options.startedAt ?? .now
        // Step 1: the lock covers reading NetBox too, so two runs never install in the opposite order of their reads.
        let lock: InstallLock
        do {
            lock = try InstallLock(output: options.output, timeout: lockTimeout)
        } catch {
            throw PipelineError(error)
        }
        defer { withExtendedLifetime(lock) {} }
        // Steps 2–3: nothing on disk is touched until the whole config exists in memory.
        let (snapshot, warnings) = try source.load()
        warnings.forEach(warn)
        let renderer = ConfigRenderer(snapshot: snapshot, variables: variables)
        let rendered = try renderer.render(templateAt: template)
        do {
            return Outcome(report: try Installer(options: options).install(rendered.text), rendered: rendered)
        } catch {
            guard let found = error.configDiagnostics else { throw PipelineError(error) }
            // The rendered text was never written where the messages say: report at the template's lines.
            let located = renderer.locate(found, renderedAs: Installer.destination(of: options.output),
                                          templateAt: template)
            let errors = located.filter { $0.severity == .error }.count
            let headline = Diagnostic(severity: .error, message: "the rendered configuration was rejected (\(errors) error\(errors == 1 ? "" : "s")); nothing was installed")
            throw PipelineError(.rejected, [headline] + located)
        }
    }
}

extension PipelineError {
    /// Install failures keep the Kea module's exit codes (4 rejected, 5 reload failed, 1 otherwise).
    init(_ error: InstallError) {
        if case .interrupted(let signal) = error {
            self = .interrupted(error.description, signal: signal)
            return
        }
        switch error.exitCode {
        case 4: self = .rejected(error.description)
        case 5: self = .reloadFailed(error.description)
        default: self = .failure(error.description)
        }
    }
}
