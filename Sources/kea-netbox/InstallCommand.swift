import ArgumentParser
import Kea
import KeaNetbox

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Render, check with Kea, install atomically and reload; restore the previous config if the reload fails.",
        discussion: """
            Safe to run from a timer: when neither NetBox (one probe query), the template, its includes nor the \
            arguments changed since the last install the server loaded, nothing is read (--full reads anyway); an \
            unchanged render writes nothing and reloads nothing; a config Kea would reject is never installed (exit 4); a failed reload puts the previous file back (exit 5).
            """
    )

    @Argument(help: "The template to render.")
    var template: String

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var templateOptions: TemplateOptions

    @Option(name: .shortAndLong, help: "The installed configuration file, e.g. /etc/kea/kea-dhcp4.conf.")
    var output: String

    @OptionGroup var installerOptions: InstallerOptions

    @Flag(help: "Check everything, print a unified diff of installed vs new, install nothing.")
    var dryRun = false

    @Flag(help: "Read, render and compare even when the change probe says nothing changed since the last install.")
    var full = false

    func run() throws {
        var options = try installerOptions.options(output: output)
        options.dryRun = dryRun
        let signals = InstallSignals()
        defer { signals.cancel() }
        options.interruption = signals.interruption
        let pipeline = InstallPipeline(template: template, source: dataOptions.source,
                                       variables: try templateOptions.variables, options: options,
                                       lockTimeout: .seconds(installerOptions.lockTimeout), full: full, warn: Terminal.warn)
        let outcome = try Terminal.run { () throws(PipelineError) in try pipeline.run() }
        Terminal.report(outcome.rendered?.templateWarnings ?? [])
        Terminal.report(outcome.report.warnings.map(\.diagnostic))
        outcome.report.notes.forEach { Terminal.printError("note: \($0)") }
        if let diff = outcome.report.diff, !diff.isEmpty { print(diff, terminator: diff.hasSuffix("\n") ? "" : "\n") }
        print(outcome.report.summaryLine)
        if let signal = signals.deferredSignal {
            Terminal.printError("kea-netbox: the install interrupted by \(InstallInterruption.name(of: signal)) is complete")
        }
        // Installed (or up to date) but no server was seen to load it: a timer or monitor must be able to tell.
        if outcome.report.notLoaded != nil { throw ExitCode(6) }
    }
}
