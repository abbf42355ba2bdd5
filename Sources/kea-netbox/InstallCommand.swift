import ArgumentParser
import Diagnostics
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

    @Option(help: "After the run, print the summary line (text) or one JSON object with the same facts (json).")
    var summary: SummaryFormat = .text

    @Option(help: ArgumentHelp(
        "Write the run's result for node_exporter's textfile collector (atomically, mode 0644), e.g. "
            + "/var/lib/prometheus/node-exporter/kea-netbox-dhcp4.prom.", valueName: "PATH"))
    var metricsFile: String?

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        var options = try installerOptions.options(output: output)
        options.dryRun = dryRun
        options.keaVersion = templateOptions.explicitKea
        let signals = InstallSignals()
        defer { signals.cancel() }
        options.interruption = signals.interruption
        let started = ContinuousClock.now
        options.startedAt = started
        let pipeline = InstallPipeline(template: template, source: dataOptions.source,
                                       variables: try templateOptions.variables, options: options,
                                       lockTimeout: .seconds(installerOptions.lockTimeout), full: full)
        var dataWarnings = 0
        let outcome: InstallPipeline.Outcome
        do {
            outcome = try pipeline.run { warnings in
                dataWarnings = warnings.count
                verbosity.report(warnings)
            }
        } catch {
            Terminal.report(error.diagnostics)
            let run = RunSummary(failure: error, output: output, template: template,
                                 duration: ContinuousClock.now - started, dataWarnings: dataWarnings)
            RunReport.finish(run, summary: summary, metricsFile: metricsFile)
            throw ExitCode(error.exitCode)
        }
        verbosity.warn(outcome.rendered?.templateWarnings ?? [])
        verbosity.warn(outcome.report.warnings.map(\.diagnostic))
        verbosity.warn(outcome.report.notes.map { Diagnostic.note($0) })
        if summary == .text, let diff = outcome.report.diff, !diff.isEmpty {
            print(diff, terminator: diff.hasSuffix("\n") ? "" : "\n")
        }
        let run = RunSummary(outcome, output: output, template: template)
        RunReport.finish(run, summary: summary, metricsFile: metricsFile)
        if let signal = signals.deferredSignal {
            Terminal.report([Diagnostic.note("the install interrupted by \(InstallInterruption.name(of: signal)) is complete")])
        }
        // Installed (or up to date) but no server was seen to load it: a timer or monitor must be able to tell.
        if run.exitCode != 0 { throw ExitCode(run.exitCode) }
    }

}
