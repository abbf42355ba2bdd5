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

    @Option(help: ArgumentHelp(
        "Validate the staged file with this command ({} is the file), 'kea' for kea-dhcp4/kea-dhcp6 -t (default) "
            + "or 'none'.", valueName: "CMD|none"))
    var check: String = "kea"

    @Option(help: ArgumentHelp(
        "How to make Kea reload: socket (the config's control socket, default), socket:PATH, signal:PIDFILE, "
            + "command:CMD, http://HOST:PORT (kea-ctrl-agent) or none.", valueName: "SPEC|none"))
    var reload: String = "socket"

    @Flag(help: "Check everything, print a unified diff of installed vs new, install nothing.")
    var dryRun = false

    @Option(help: "Folder for the previous configurations (default: .kea-netbox-backups beside --output).")
    var backupDir: String?

    @Option(help: "How many previous configurations to keep.")
    var keepBackups: Int = 5

    @Option(help: "Refuse to install when more than this fraction of the installed reservations would disappear.")
    var maxRemovedFraction: Double = 0.5

    @Flag(help: "Install even when the removal guard refuses (e.g. after a planned clean-up in NetBox).")
    var force = false

    @Flag(help: "Read, render and compare even when the change probe says nothing changed since the last install.")
    var full = false

    @Option(help: "Seconds to wait for another install holding the lock.")
    var lockTimeout: Int = 60

    func validate() throws {
        if !(0...1).contains(maxRemovedFraction) {
            throw ValidationError("--max-removed-fraction must be between 0 and 1")
        }
        if keepBackups < 1 { throw ValidationError("--keep-backups must be at least 1") }
        if lockTimeout < 0 { throw ValidationError("--lock-timeout must not be negative") }
        do { _ = try ReloadSpec(argument: reload) } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        var options = Installer.Options(output: output)
        options.check = CheckCommand(argument: check)
        options.reload = try ReloadSpec(argument: reload)
        options.backupDirectory = backupDir
        options.keepBackups = keepBackups
        options.maxRemovedFraction = maxRemovedFraction
        options.force = force
        options.dryRun = dryRun
        let signals = InstallSignals()
        defer { signals.cancel() }
        options.interruption = signals.interruption
        let pipeline = InstallPipeline(template: template, source: dataOptions.source,
                                       variables: try templateOptions.variables, options: options,
                                       lockTimeout: .seconds(lockTimeout), full: full, warn: Terminal.warn)
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
