import Diagnostics
import Foundation
import Kea
import NetBox
import Templating

/// What a render produced: the whole config text and everything worth telling the operator.
public struct RenderedConfig: Sendable {
    /// The config in UTF-8, as rendered (see `RenderResult.bytes`): what `render` writes and `install` compares
    /// and parses.
    public let bytes: [UInt8]
    /// Template `{% warn %}` diagnostics and `| raw` uses.
    public let templateWarnings: [Diagnostic]
    /// The subnets the template asked `reservations()` for (in no particular order).
    public let lookedUpSubnets: [LookedUpSubnet]

    /// The config as a String, made on each use.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Renders a template with NetBox lookups over one snapshot. The render happens wholly in memory: on any error
/// there is no output at all, never a half-written config.
public struct ConfigRenderer: Sendable {
    public let snapshot: Snapshot
    public let variables: TemplateVariables
    public let loader: any TemplateLoader
    /// The Kea the configuration is for (`kea.version` in templates); nil: `kea` is null.
    public let kea: KeaVersion?

    public init(snapshot: Snapshot, variables: TemplateVariables = TemplateVariables(),
                loader: any TemplateLoader = FileSystemLoader(), kea: KeaVersion? = nil) {
        self.snapshot = snapshot
        self.variables = variables
        self.loader = loader
        self.kea = kea
    }

    /// The template environment with the NetBox lookups and the `--set` variables; also used by `lint`.
    public var environment: TemplateEnvironment {
        environment(log: nil)
    }

    /// `warnings` collects what the lookups find wrong in the data they read (identifiers that do not parse).
    func environment(log: LookupLog?, warnings: LookupWarnings = LookupWarnings()) -> TemplateEnvironment {
        let lookups = Lookups(index: NetBoxIndex(snapshot), log: log, warnings: warnings)
        let globals = variables.globals.merging(lookups.globals) { $1 }.merging(KeaValues.globals(kea)) { $1 }
        return TemplateEnvironment(loader: loader, globals: globals,
                                   functions: lookups.functions)
    }

    /// Reads the template file alone, so that a wrong path (missing, a folder, not UTF-8) is reported before
    /// NetBox is read: a timer job with a typo should not need a database to say so. Exit 2 like any template error.
    public static func loadTemplate(at path: String, loader: any TemplateLoader = FileSystemLoader())
        throws(PipelineError) -> TemplateSource
    {
        do {
            return try loader.load(path)
        } catch {
            throw .template([Diagnostic(severity: .error, message: "cannot load the template: \(error)")])
        }
    }

    /// Whether the template can read `kea` (the Kea version it renders for): asking the installed Kea
    /// (`kea-dhcp4 -V`, a C++ program loading its libraries: 30-40 ms of CPU, on the core the snapshot decode's
    /// second thread wants) is only worth it then.
    public static func readsKea(_ source: TemplateSource, loader: any TemplateLoader = FileSystemLoader()) -> Bool {
        TemplateEnvironment(loader: loader).mayRead(KeaValues.globalName, source: source)
    }

    public func render(templateAt path: String) throws(PipelineError) -> RenderedConfig {
        try render(try Self.loadTemplate(at: path, loader: loader))
    }

    /// `expectedSize`: the size of the file the text replaces, if any (see `TemplateEnvironment.render`).
    public func render(_ source: TemplateSource, expectedSize: Int = 0) throws(PipelineError) -> RenderedConfig {
        let log = LookupLog()
        let warnings = LookupWarnings()
        do {
            let result = try environment(log: log, warnings: warnings).render(source: source, expectedSize: expectedSize)
            return RenderedConfig(bytes: result.bytes, templateWarnings: result.warnings + warnings.diagnostics,
                                  lookedUpSubnets: log.recorded)
        } catch {
            throw .template(error.diagnostics)
        }
    }

    /// Diagnostics about the rendered text (named `renderedFile` in them) moved to the template lines that wrote
    /// each place. The render is repeated with a source map: rendering is deterministic, and the usual run (nothing
    /// rejected) then pays nothing for the map. With `rendered` (the rejected text), a repeat that renders other text
    /// (the snapshot was read again, and NetBox changed meanwhile) moves nothing and says so in a note.
    public func locate(_ diagnostics: [Diagnostic], renderedAs renderedFile: String,
                       templateAt path: String, rendered: String? = nil) -> [Diagnostic] {
        guard diagnostics.contains(where: { $0.location?.file == renderedFile }),
              let repeated = try? environment.render(path: path, sourceMap: true), let map = repeated.sourceMap
        else { return diagnostics }
        if let rendered, repeated.output != rendered {
            return diagnostics + [.note("""
                NetBox changed while the rejection was traced back to the template: the places above are lines of \
                the rendered configuration, which was not installed
                """)]
        }
        return RenderedLocations(renderedFile: renderedFile, map: map).relocate(diagnostics)
    }
}
