import Diagnostics
import Foundation
import Kea
import NetBox
import Templating

/// `kea-netbox lint`: checks templates the way CI wants them checked, reporting every problem at a
/// `file:line:column` of the template — including problems that only show in the rendered configuration (Kea's
/// dialect, the semantic checks, `kea-dhcpN -t`), which are traced back through the render's source map.
public struct Linter: Sendable {
    /// Without a snapshot only the templates' syntax is checked (no data, no render).
    public let snapshot: Snapshot?
    /// Also run the real `kea-dhcp4 -t` / `kea-dhcp6 -t` on the rendered configuration.
    public let runKea: Bool
    public let variables: TemplateVariables
    public let loader: any TemplateLoader

    public init(snapshot: Snapshot?, runKea: Bool = false, variables: TemplateVariables = TemplateVariables(),
                loader: any TemplateLoader = FileSystemLoader()) {
        self.snapshot = snapshot
        self.runKea = runKea
        self.variables = variables
        self.loader = loader
    }

    /// Lints several templates; a `--set` variable that none of them reads is a warning (a misspelt name is
    /// otherwise silently a variable nobody uses), with a suggestion among the names they read but nothing defines.
    public func lint(templatesAt paths: [String]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var used = Set<String>()
        var undefined = Set<String>()
        for path in paths {
            let (found, analysis) = lintOne(path)
            diagnostics += found
            used.formUnion(analysis.usedGlobals)
            undefined.formUnion(analysis.undefinedNames)
        }
        for name in variables.values.keys.sorted() where !used.contains(name) {
            diagnostics.append(Diagnostic(
                severity: .warning, rule: "unused-variable",
                message: "--set \(name)=… is never used by \(paths.count == 1 ? "the template" : "any of the templates")"
                    + Suggestion.hint(for: name, among: undefined.sorted())))
        }
        return diagnostics
    }

    public func lint(templateAt path: String) -> [Diagnostic] {
        lint(templatesAt: [path])
    }

    /// The static checks of every branch; with a snapshot, also the render and the rendered configuration.
    private func lintOne(_ path: String) -> ([Diagnostic], TemplateAnalysis) {
        let renderer = ConfigRenderer(snapshot: snapshot ?? Snapshot(schema: "unknown"), variables: variables, loader: loader)
        let environment = renderer.environment
        let analysis = environment.analyze(path: path)
        // A template that does not parse cannot render: its parse errors are the whole story.
        let parsed = !analysis.diagnostics.contains { $0.severity == .error && $0.rule != StaticChecker.rule }
        guard snapshot != nil, parsed else { return (analysis.diagnostics, analysis) }
        do {
            let result = try environment.render(path: path, sourceMap: true)
            let rendered = result.sourceMap.map { configFindings(in: result.output, of: path, map: $0) } ?? []
            return (Linter.merged(analysis.diagnostics, result.warnings + rendered), analysis)
        } catch {
            return (Linter.merged(analysis.diagnostics, error.diagnostics), analysis)
        }
    }

    /// The static check and the render report a problem in code the data reaches alike: keep it once.
    private static func merged(_ first: [Diagnostic], _ second: [Diagnostic]) -> [Diagnostic] {
        struct Key: Hashable { let location: SourceLocation?; let message: String }
        var seen = Set(first.map { Key(location: $0.location, message: $0.message) })
        return first + second.filter { seen.insert(Key(location: $0.location, message: $0.message)).inserted }
    }

    /// Problems of the rendered configuration, located in the template.
    private func configFindings(in output: String, of path: String, map: SourceMap) -> [Diagnostic] {
        let renderedName = "\(path) (rendered)"
        let locations = RenderedLocations(renderedFile: renderedName, map: map)
        let document: ConfigDocument
        do {
            document = try ConfigDocument.parse(output, file: renderedName)
        } catch {
            return locations.relocate([error.diagnostic])
        }
        var diagnostics = (document.warnings + SemanticChecks.run(document)).map(\.diagnostic)
        if runKea, !diagnostics.contains(where: { $0.severity == .error }) {
            diagnostics += keaCheck(output, document: document, renderedName: renderedName)
        }
        return locations.relocate(diagnostics)
    }

    /// Runs `kea-dhcpN -t` on a copy whose `interfaces-config.interfaces` list is emptied: Kea checks that named
    /// interfaces exist, and a CI machine does not have the DHCP server's NICs.
    private func keaCheck(_ output: String, document: ConfigDocument, renderedName: String) -> [Diagnostic] {
        let portable = InterfaceList.emptied(in: output, document: document)
        let verdict: CheckCommand.Verdict
        do {
            verdict = try CheckCommand.kea.run(text: portable, family: document.family, displayName: renderedName)
        } catch {
            return [Diagnostic(severity: .error, rule: "kea-check", message: error.description)]
        }
        guard !verdict.accepted else { return [] }
        return [KeaMessage.diagnostic(commandLine: "\(document.family?.serverProgram ?? "kea") -t",
                                      message: verdict.message, file: renderedName)]
    }
}

/// Empties the `interfaces-config.interfaces` list of a rendered configuration, by the positions Kea's dialect
/// reader found, so the text is otherwise byte for byte what would be installed.
enum InterfaceList {
    static func emptied(in text: String, document: ConfigDocument) -> String {
        guard let list = document.server?["interfaces-config"]?["interfaces"], list.arrayValue != nil else { return text }
        let bytes = Array(text.utf8)
        var index = list.offset + 1
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "]") {
                return String(decoding: bytes[..<list.offset] + Array("[]".utf8) + bytes[(index + 1)...], as: UTF8.self)
            }
            index += 1
        }
        return text
    }
}
