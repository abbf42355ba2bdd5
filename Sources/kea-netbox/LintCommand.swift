import ArgumentParser
import Diagnostics
import Foundation
import KeaNetbox
import NetBox
import Templating

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check templates: syntax and every branch without data; with --data or --database also the rendered config (Kea's dialect, semantic checks, optionally kea-dhcpN -t), every finding at the template's file:line:column.",
        discussion: "Exit 0 when clean, 1 with findings (errors, or warnings with --strict), 3 when the snapshot cannot be read."
    )

    @Argument(help: "The templates to check.")
    var templates: [String]

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var templateOptions: TemplateOptions

    @Flag(help: "Also run kea-dhcp4 -t / kea-dhcp6 -t on the rendered config (interfaces list emptied). Needs --data.")
    var kea = false

    @Option(help: "text (compiler style), json, or github (workflow annotations).")
    var format: DiagnosticFormat = .text

    @Flag(help: "Warnings (such as | raw) count as findings.")
    var strict = false

    func validate() throws {
        if templates.isEmpty { throw ValidationError("name at least one template") }
        if kea && dataOptions.explicitSource == nil {
            throw ValidationError("--kea checks the rendered config: give --data SNAPSHOT or --database CONNINFO too")
        }
    }

    func run() throws {
        let loaded = try dataOptions.explicitSource.map { source in
            try Terminal.run { () throws(PipelineError) in try source.load() }
        }
        let linter = Linter(snapshot: loaded?.snapshot, runKea: kea, variables: try templateOptions.variables,
                            kea: templateOptions.kea)
        // Bad NetBox data is a finding too: CI is where it should be noticed.
        let findings = (loaded?.warnings ?? []).map(\.diagnostic) + linter.lint(templatesAt: templates)
        if !findings.isEmpty || format == .json { print(format.render(findings)) }
        let failing = findings.filter { $0.severity == .error || (strict && $0.severity == .warning) }
        if !failing.isEmpty { throw ExitCode(1) }
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}
