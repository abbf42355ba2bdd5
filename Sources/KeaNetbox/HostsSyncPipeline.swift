import Diagnostics
import Kea
import NetBox
import Templating

/// `kea-netbox hosts sync`: read NetBox, render the hosts template in memory, then let the Kea module's `HostSync`
/// write the difference into Kea's host database (DESIGN §8).
public struct HostsSyncPipeline: Sendable {
    public let template: String
    public let source: DataSource
    public let variables: TemplateVariables
    public let options: HostSync.Options
    /// Told about bad NetBox data as soon as it is read, so the operator sees it even when a later step fails.
    public let warn: @Sendable (Diagnostic) -> Void

    public init(template: String, source: DataSource, variables: TemplateVariables = TemplateVariables(),
                options: HostSync.Options, warn: @escaping @Sendable (Diagnostic) -> Void = { _ in }) {
        self.template = template
        self.source = source
        self.variables = variables
        self.options = options
        self.warn = warn
    }

    public struct Outcome: Sendable {
        public let report: HostSyncReport
        public let rendered: RenderedConfig
    }

    public func run() throws(PipelineError) -> Outcome {
        var options = options
        options.startedAt = options.startedAt ?? .now
        func failure(_ error: HostSyncError) -> PipelineError.Kind {
            switch error.exitCode {
            case 3: .dataSource
            case 4: .rejected
            default: .failure
            }
        }
        // The database lock is taken before NetBox is read, as install's lock is: two runs never commit in the
        // opposite order of their reads.
        let session: HostSyncSession
        do {
            session = try HostSync(options: options).begin()
        } catch {
            throw PipelineError(failure(error), error.description)
        }
        let (snapshot, warnings) = try source.load()
        warnings.forEach(warn)
        let renderer = ConfigRenderer(snapshot: snapshot, variables: variables)
        let rendered = try renderer.render(templateAt: template)
        let renderedName = "\(template) (rendered)"
        do {
            return Outcome(report: try session.sync(rendered.text, file: renderedName), rendered: rendered)
        } catch {
            let kind = failure(error)
            guard let found = error.configDiagnostics else { throw PipelineError(kind, error.description) }
            // The rendered hosts exist only in memory: report at the template lines that wrote them.
            let located = renderer.locate(found, renderedAs: renderedName, templateAt: template)
            let errors = located.filter { $0.severity == .error }.count
            let headline = Diagnostic(severity: .error, message: "the rendered hosts were rejected (\(errors) error\(errors == 1 ? "" : "s")); nothing was written")
            throw PipelineError(kind, [headline] + located)
        }
    }
}
