import Diagnostics
import Kea
import NetBox
import Templating

/// `kea-netbox hosts sync`: take the host database's lock, read NetBox, render the hosts template in memory, then
/// let the Kea module's `HostSyncSession` write the difference into Kea's host database (DESIGN §8).
public struct HostsSyncPipeline: Sendable {
    public let template: String
    public let source: DataSource
    public let variables: TemplateVariables
    public let options: HostSync.Options
    /// The Kea version templates see as `kea` (`--kea-version`); nil: none.
    public let keaVersion: KeaVersion?

    public init(template: String, source: DataSource, variables: TemplateVariables = TemplateVariables(),
                options: HostSync.Options, keaVersion: KeaVersion? = nil) {
        self.template = template
        self.source = source
        self.variables = variables
        self.options = options
        self.keaVersion = keaVersion
    }

    public struct Outcome: Sendable {
        public let report: HostSyncReport
        public let rendered: RenderedConfig
        public let dataWarnings: DataWarningSummary
    }

    /// `dataWarnings` is told about bad NetBox data once the render shows which of it the template uses.
    public func run(dataWarnings: (DataWarningSummary) -> Void = { _ in }) throws(PipelineError) -> Outcome {
        var options = options
        options.startedAt = options.startedAt ?? .now
        let templateSource = try ConfigRenderer.loadTemplate(at: template)
        func kind(of error: HostSyncError) -> PipelineError.Kind {
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
            throw PipelineError(kind(of: error), error.description)
        }
        let (snapshot, warnings) = try source.load()
        let renderer = ConfigRenderer(snapshot: snapshot, variables: variables, kea: keaVersion)
        let rendered: RenderedConfig
        do {
            rendered = try renderer.render(templateSource)
        } catch {
            dataWarnings(DataWarningSummary(warnings, lookedUp: nil))
            throw error
        }
        let summary = DataWarningSummary(warnings, lookedUp: rendered.lookedUpSubnets)
        dataWarnings(summary)
        let renderedName = "\(template) (rendered)"
        do {
            return Outcome(report: try session.sync(rendered.text, file: renderedName), rendered: rendered,
                           dataWarnings: summary)
        } catch {
            guard let found = error.configDiagnostics else { throw PipelineError(kind(of: error), error.description) }
            // The rendered hosts exist only in memory: report at the template lines that wrote them.
            let located = renderer.locate(found, renderedAs: renderedName, templateAt: template)
            let errors = located.filter { $0.severity == .error }.count
            let headline = Diagnostic(severity: .error, message: "the rendered hosts were rejected (\(errors) error\(errors == 1 ? "" : "s")); nothing was written")
            throw PipelineError(kind(of: error), [headline] + located)
        }
    }
}
