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

    public func lint(templateAt path: String) -> [Diagnostic] {
        let renderer = ConfigRenderer(snapshot: snapshot ?? Snapshot(schema: "unknown"), variables: variables, loader: loader)
        let environment = renderer.environment
        guard snapshot != nil else { return environment.check(path: path) }
        let result: RenderResult
        do {
            result = try environment.render(path: path, sourceMap: true)
        } catch {
            // Only a failed render parses a second time: to add the `| raw` warnings it does not return.
            let parsed = environment.check(path: path)
            return parsed + error.diagnostics.filter { !parsed.contains($0) }
        }
        guard let map = result.sourceMap else { return result.warnings }
        return result.warnings + configFindings(in: result.output, of: path, map: map)
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
