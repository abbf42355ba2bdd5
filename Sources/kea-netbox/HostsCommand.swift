import ArgumentParser
import Diagnostics
import Kea
import KeaNetbox

/// `kea-netbox hosts …`: reservations kept in Kea's own host database instead of the config file.
struct HostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "Keep NetBox reservations in Kea's PostgreSQL host database (no reload needed).",
        subcommands: [HostsSyncCommand.self]
    )
}

struct HostsSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Render a hosts template and make Kea's host tables hold exactly those reservations.",
        discussion: """
            Changes only hosts kea-netbox created (marked in user_context), with the smallest change, in one \
            transaction under a lock shared by every kea-netbox using the database. Kea reads the tables at lookup \
            time: nothing is reloaded. Exit 4 when the checks, the removal guard or a clash with another tool's \
            hosts refuse the change; 3 when a database cannot be reached.
            """
    )

    @Argument(help: "The hosts template to render (see templates/kea-hosts.json.tmpl).")
    var template: String

    @Option(help: ArgumentHelp(
        "libpq connection string or postgresql:// URI of Kea's host database (the one `kea-admin db-init pgsql` "
            + "made), e.g. \"service=kea\". Keep passwords in ~/.pgpass or a service file, not here.",
        valueName: "CONNINFO"))
    var keaDatabase: String

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var templateOptions: TemplateOptions

    @Option(name: .customLong("config"), help: ArgumentHelp(
        "A Kea configuration file (kea-dhcp4.conf / kea-dhcp6.conf) whose subnets the hosts' subnet ids must "
            + "name, with the same prefix; repeatable.", valueName: "KEA_CONF"))
    var configFiles: [String] = []

    @Flag(help: "Check everything and print the hosts that would be removed (-) and written (+); write nothing.")
    var dryRun = false

    @Option(help: "Refuse when more than this fraction of the hosts kea-netbox created would disappear.")
    var maxRemovedFraction: Double = 0.5

    @Flag(help: "Sync even when the removal guard refuses (e.g. after a planned clean-up in NetBox).")
    var force = false

    @Option(help: "Seconds to wait for another hosts sync holding the database's lock.")
    var lockTimeout: Int = 60

    @Option(help: "After the run, print the summary line (text) or one JSON object with the same facts (json).")
    var summary: SummaryFormat = .text

    @Option(help: ArgumentHelp("Write the run's metrics for node_exporter's textfile collector (label output=\"kea-host-database\").",
                               valueName: "PATH"))
    var metricsFile: String?

    @OptionGroup var verbosity: VerbosityOptions

    func validate() throws {
        if !(0...1).contains(maxRemovedFraction) {
            throw ValidationError("--max-removed-fraction must be between 0 and 1")
        }
        if lockTimeout < 0 { throw ValidationError("--lock-timeout must not be negative") }
    }

    func run() throws {
        var options = HostSync.Options(conninfo: keaDatabase)
        options.configFiles = configFiles
        options.maxRemovedFraction = maxRemovedFraction
        options.force = force
        options.dryRun = dryRun
        options.lockTimeout = .seconds(lockTimeout)
        let pipeline = HostsSyncPipeline(template: template, source: dataOptions.source,
                                         variables: try templateOptions.variables, options: options,
                                         keaVersion: templateOptions.kea)
        let started = ContinuousClock.now
        var dataWarnings = 0
        let outcome: HostsSyncPipeline.Outcome
        do {
            outcome = try pipeline.run { warnings in
                dataWarnings = warnings.count
                verbosity.report(warnings)
            }
        } catch {
            Terminal.report(error.diagnostics)
            let run = RunSummary(failure: error, output: RunSummary.hostDatabaseOutput, template: template,
                                 duration: ContinuousClock.now - started, dataWarnings: dataWarnings)
            RunReport.finish(run, summary: summary, metricsFile: metricsFile)
            throw ExitCode(error.exitCode)
        }
        verbosity.warn(outcome.rendered.templateWarnings)
        verbosity.warn(outcome.report.warnings.map(\.diagnostic))
        if summary == .text, let diff = outcome.report.diff, !diff.isEmpty { print(diff, terminator: "") }
        RunReport.finish(RunSummary(outcome, template: template), summary: summary, metricsFile: metricsFile)
    }

}
