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
    /// `kea.version` for the templates (nil: `kea` is null).
    public let kea: KeaVersion?

    public init(snapshot: Snapshot?, runKea: Bool = false, variables: TemplateVariables = TemplateVariables(),
                loader: any TemplateLoader = FileSystemLoader(), kea: KeaVersion? = nil) {
        self.snapshot = snapshot
        self.runKea = runKea
        self.variables = variables
        self.loader = loader
        self.kea = kea
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
        let renderer = ConfigRenderer(snapshot: snapshot ?? Snapshot(schema: "unknown"), variables: variables,
                                      loader: loader, kea: kea)
        let lookupWarnings = LookupWarnings()
        let environment = renderer.environment(log: nil, warnings: lookupWarnings)
        let analysis = environment.analyze(path: path)
        // A template that does not parse cannot render: its parse errors are the whole story.
        let parsed = !analysis.diagnostics.contains { $0.severity == .error && $0.rule != StaticChecker.rule }
        let misplaced = Linter.reservationLoopsOutsideSubnets(analysis.loopsOverCalls)
        guard let snapshot, parsed else { return (analysis.diagnostics + misplaced, analysis) }
        let neverMatching = Linter.lookupsThatCannotMatch(analysis.literalCalls, in: snapshot)
        do {
            let result = try environment.render(path: path, sourceMap: true)
            let rendered = result.sourceMap.map { configFindings(in: result.output, of: path, map: $0) } ?? []
            return (Linter.merged(analysis.diagnostics + misplaced + neverMatching,
                                  result.warnings + lookupWarnings.diagnostics + rendered), analysis)
        } catch {
            return (Linter.merged(analysis.diagnostics + misplaced + neverMatching, error.diagnostics), analysis)
        }
    }

    /// A loop over `reservations(…)` must write into a subnet's `reservations` list (in `subnet4`/`subnet6`, also
    /// inside `shared-networks`) or the global one (`Dhcp4.reservations`); anywhere else Kea rejects the keys or,
    /// worse, the entries land in a list that means something else.
    static func reservationLoopsOutsideSubnets(_ loops: [LoopPlace]) -> [Diagnostic] {
        loops.compactMap { loop in
            guard loop.function == "reservations" else { return nil }
            let path = loop.jsonPath
            let inList = path.count >= 2 && path[path.count - 1] == "[]" && path[path.count - 2] == "reservations"
            let owner = path.dropLast(2)
            let global = owner.count == 1 && ["Dhcp4", "Dhcp6"].contains(owner.first ?? "")
            let inSubnet = owner.count >= 2 && owner.last == "[]" && ["subnet4", "subnet6"].contains(owner[owner.count - 2])
            guard !(inList && (global || inSubnet)) else { return nil }
            let place = path.isEmpty ? "the top level" : path.joined(separator: ".").replacing(".[]", with: "[]")
            return Diagnostic(severity: .warning, rule: "reservations-outside-subnet",
                              message: "this loop over reservations() writes its items at \(place), not in a subnet's \"reservations\" list (or the global Dhcp4/Dhcp6 one)",
                              location: loop.location, sourceLine: loop.sourceLine)
        }
    }

    /// `reservations("203.0.113.0/24")` or `ranges("…")` for a subnet that is not a NetBox prefix and holds none
    /// of its addresses: the lookup returns nothing, and will until someone adds the prefix to NetBox (the old cron
    /// scripts silently skipped such subnets). Usually a typo, or a subnet NetBox does not know yet.
    static func lookupsThatCannotMatch(_ calls: [LiteralCall], in snapshot: Snapshot) -> [Diagnostic] {
        let known = Set(snapshot.prefixes.map(\.prefix))
        return calls.compactMap { call in
            guard call.function == "reservations" || call.function == "ranges",
                  let subnet = IPPrefix(call.argument), !known.contains(subnet) else { return nil }
            let holdsData = call.function == "reservations"
                ? snapshot.reservations.contains { subnet.contains($0.ip) }
                : snapshot.ipRanges.contains { subnet.contains($0.start) }
            guard !holdsData else { return nil }
            return call.diagnostic(.warning, rule: "lookup-never-matches",
                                   "\(call.function)(\"\(call.argument)\") finds nothing: NetBox has no prefix \(subnet) and no address in it")
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
        // A hosts template (for `hosts sync`) renders both families in one document: checked as the sync checks it.
        if HostDocumentLint.isHostsDocument(output) {
            return locations.relocate(HostDocumentLint.findings(output, file: renderedName))
        }
        let document: ConfigDocument
        do {
            document = try ConfigDocument.parse(output, file: renderedName)
        } catch {
            return locations.relocate([error.diagnostic])
        }
        var diagnostics = (document.warnings + SemanticChecks.run(document)).map(\.diagnostic)
        if runKea, !diagnostics.contains(where: { $0.severity == .error }) {
            diagnostics += keaCheck(output, document: document, template: path, renderedName: renderedName)
        }
        return locations.relocate(diagnostics)
    }

    /// Runs `kea-dhcpN -t` on a copy without the server's network interfaces (see `PortableInterfaces`).
    private func keaCheck(_ output: String, document: ConfigDocument, template: String,
                          renderedName: String) -> [Diagnostic] {
        let portable = PortableInterfaces.make(output, document: document)
        let verdict: CheckCommand.Verdict
        do {
            verdict = try CheckCommand.kea.run(text: portable.text, family: document.family, displayName: renderedName)
        } catch {
            return [Diagnostic(severity: .error, rule: "kea-check", message: error.description)]
        }
        let program = document.family?.serverProgram ?? "kea"
        var found: [Diagnostic] = []
        if !portable.replaced.isEmpty {
            found.append(Diagnostic(severity: .note, rule: "kea-check-interfaces",
                                    message: "\(template): \(program) -t checked a copy without the server's network interfaces: "
                                        + portable.replaced.joined(separator: "; ")))
        }
        guard !verdict.accepted else { return found }
        return found + [KeaMessage.diagnostic(commandLine: "\(program) -t", message: verdict.message, file: renderedName)]
    }
}

/// A copy of a rendered configuration that `kea-dhcpN -t` can check on a machine without the DHCP server's NICs:
/// Kea checks that every named interface exists, so the global `interfaces-config.interfaces` list is emptied and
/// each subnet's or shared network's `interface` (which directly connected DHCPv6 clients need) becomes `lo`.
/// Edits are made at the positions Kea's dialect reader found; the rest is byte for byte what would be installed.
enum PortableInterfaces {
    struct Result {
        let text: String
        /// What was replaced, for the note lint prints.
        let replaced: [String]
    }

    static func make(_ text: String, document: ConfigDocument) -> Result {
        let bytes = Array(text.utf8)
        var edits: [(range: Range<Int>, replacement: String, what: String)] = []
        if let list = document.server?["interfaces-config"]?["interfaces"], let items = list.arrayValue, !items.isEmpty,
           let end = end(ofValueAt: list.offset, in: bytes) {
            let names = items.compactMap(\.stringValue).joined(separator: ", ")
            edits.append((list.offset..<end, "[]", "interfaces-config.interfaces [\(names)] emptied"))
        }
        var owners = document.subnetEntries().map { ($0.value, $0.path) }
        if let family = document.family {
            for (index, network) in (document.server?["shared-networks"]?.arrayValue ?? []).enumerated() {
                owners.append((network, "\(family.topLevelKey).shared-networks[\(index)]"))
            }
        }
        for (owner, path) in owners {
            guard let node = owner["interface"], let name = node.stringValue, name != "lo",
                  let end = end(ofValueAt: node.offset, in: bytes) else { continue }
            edits.append((node.offset..<end, "\"lo\"", "\(path).interface \"\(name)\" replaced by \"lo\""))
        }
        guard !edits.isEmpty else { return Result(text: text, replaced: []) }
        var output = bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            output.replaceSubrange(edit.range, with: Array(edit.replacement.utf8))
        }
        return Result(text: String(decoding: output, as: UTF8.self),
                      replaced: edits.sorted { $0.range.lowerBound < $1.range.lowerBound }.map(\.what))
    }

    /// The end of the string or list that starts at `start`.
    private static func end(ofValueAt start: Int, in bytes: [UInt8]) -> Int? {
        guard start < bytes.count else { return nil }
        let opening = bytes[start]
        var index = start + 1
        var inString = opening == UInt8(ascii: "\"")
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if opening == UInt8(ascii: "\"") { return index + 1 }
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "]"), opening == UInt8(ascii: "[") {
                return index + 1
            }
            index += 1
        }
        return nil
    }
}
