import Diagnostics
import Foundation
import NetBox
import Templating

/// What a render produced: the whole config text and everything worth telling the operator.
public struct RenderedConfig: Sendable {
    public let text: String
    /// Template `{% warn %}` diagnostics and `| raw` uses.
    public let templateWarnings: [Diagnostic]
}

/// Renders a template with NetBox lookups over one snapshot. The render happens wholly in memory: on any error
/// there is no output at all, never a half-written config.
public struct ConfigRenderer: Sendable {
    public let snapshot: Snapshot
    public let variables: TemplateVariables
    public let loader: any TemplateLoader

    public init(snapshot: Snapshot, variables: TemplateVariables = TemplateVariables(),
                loader: any TemplateLoader = FileSystemLoader()) {
        self.snapshot = snapshot
        self.variables = variables
        self.loader = loader
    }

    /// The template environment with the NetBox lookups and the `--set` variables; also used by `lint`.
    public var environment: TemplateEnvironment {
        let lookups = Lookups(index: NetBoxIndex(snapshot))
        return TemplateEnvironment(loader: loader, globals: variables.globals.merging(lookups.globals) { $1 },
                                   functions: lookups.functions)
    }

    public func render(templateAt path: String) throws(PipelineError) -> RenderedConfig {
        do {
            let result = try environment.render(path: path)
            return RenderedConfig(text: result.output, templateWarnings: result.warnings)
        } catch {
            throw .template(error.diagnostics)
        }
    }

    /// Diagnostics about the rendered text (named `renderedFile` in them) moved to the template lines that wrote
    /// each place. The render is repeated with a source map: rendering is deterministic, and the usual run (nothing
    /// rejected) then pays nothing for the map.
    public func locate(_ diagnostics: [Diagnostic], renderedAs renderedFile: String,
                       templateAt path: String) -> [Diagnostic] {
        guard diagnostics.contains(where: { $0.location?.file == renderedFile }),
              let map = try? environment.render(path: path, sourceMap: true).sourceMap
        else { return diagnostics }
        return RenderedLocations(renderedFile: renderedFile, map: map).relocate(diagnostics)
    }
}
