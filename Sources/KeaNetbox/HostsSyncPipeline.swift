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
    public let warn: @Sendable (String) -> Void

    public init(template: String, source: DataSource, variables: TemplateVariables = TemplateVariables(),
                options: HostSync.Options, warn: @escaping @Sendable (String) -> Void = { _ in }) {
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
        let (snapshot, warnings) = try source.load()
        warnings.forEach(warn)
        let rendered = try ConfigRenderer(snapshot: snapshot, variables: variables).render(templateAt: template)
        do {
            // Findings point into the rendered text (what `kea-netbox render` prints), not the template's own lines.
            return Outcome(report: try HostSync(options: options).sync(rendered.text, file: "\(template) (rendered)"),
                           rendered: rendered)
        } catch {
            switch error.exitCode {
            case 3: throw .dataSource(error.description)
            case 4: throw .rejected(error.description)
            default: throw .failure(error.description)
            }
        }
    }
}
