import ArgumentParser
import Foundation
import KeaNetbox
import NetBox
import Templating

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check templates: syntax without data; with --data also the rendered config (Kea's dialect, semantic checks, optionally kea-dhcpN -t), every finding at the template's file:line:column.",
        discussion: "Exit 0 when clean, 1 with findings (errors, or warnings with --strict), 3 when the snapshot cannot be read."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    @Argument(help: "The templates to check.")
    var templates: [String]

    @Option(help: ArgumentHelp("Render against this NetBox snapshot and check the result.", valueName: "SNAPSHOT"))
    var data: String?

    @OptionGroup var templateOptions: TemplateOptions

    @Flag(help: "Also run kea-dhcp4 -t / kea-dhcp6 -t on the rendered config (interfaces list emptied). Needs --data.")
    var kea = false

    @Option(help: "text (compiler style), json, or github (workflow annotations).")
    var format: Format = .text

    @Flag(help: "Warnings (such as | raw) count as findings.")
    var strict = false

    func validate() throws {
        if templates.isEmpty { throw ValidationError("name at least one template") }
        if kea && data == nil { throw ValidationError("--kea checks the rendered config: give --data SNAPSHOT too") }
    }

    func run() throws {
        let snapshot = try data.map { path in
            try Terminal.run { () throws(PipelineError) in try DataSource.snapshotFile(path).load().snapshot }
        }
        let linter = Linter(snapshot: snapshot, runKea: kea, variables: try templateOptions.variables)
        let findings = templates.flatMap { linter.lint(templateAt: $0) }
        switch format {
        case .text:
            findings.forEach { print($0.formatted()) }
        case .json:
            print(LintReport.json(findings))
        case .github:
            findings.forEach { print(LintReport.githubAnnotation($0)) }
        }
        let failing = findings.filter { $0.severity == .error || (strict && $0.severity == .warning) }
        if !failing.isEmpty { throw ExitCode(1) }
    }
}

/// Machine-readable shapes of lint findings.
enum LintReport {
    static func json(_ findings: [Diagnostic]) -> String {
        let entries: [[String: Any]] = findings.map { finding in
            var entry: [String: Any] = ["severity": finding.severity.rawValue, "message": finding.message]
            if let location = finding.location {
                entry["file"] = location.file
                entry["line"] = location.line
                entry["column"] = location.column
            }
            entry["notes"] = finding.notes.map(\.message)
            return entry
        }
        let data = (try? JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// `::error file=F,line=L,col=C::message`, escaped as GitHub's workflow commands require.
    static func githubAnnotation(_ finding: Diagnostic) -> String {
        let kind = finding.severity == .error ? "error" : finding.severity == .warning ? "warning" : "notice"
        var properties: [String] = []
        if let location = finding.location {
            properties = ["file=\(escape(location.file, property: true))", "line=\(location.line)", "col=\(location.column)"]
        }
        let message = ([finding.message] + finding.notes.map(\.message)).joined(separator: "\n")
        return "::\(kind)\(properties.isEmpty ? "" : " " + properties.joined(separator: ","))::\(escape(message, property: false))"
    }

    private static func escape(_ text: String, property: Bool) -> String {
        var escaped = text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        if property { escaped = escaped.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }
        return escaped
    }
}
