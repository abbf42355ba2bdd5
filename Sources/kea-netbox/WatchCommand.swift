import ArgumentParser
import Dispatch
import Foundation
import Kea
import KeaNetbox

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep Kea in step with NetBox: probe for changes, then install every template (one reload per server).",
        discussion: """
            Give each template its output: watch v4.tmpl --output /etc/kea/kea-dhcp4.conf v6.tmpl --output \
            /etc/kea/kea-dhcp6.conf. Every interval one small query asks NetBox's change log and table counters \
            whether anything changed, and the template files are compared; after a change the watcher waits until \
            NetBox has been quiet for the quiet period (at most the max delay), then runs install for each template. \
            Failures are logged and retried; SIGHUP re-reads and re-renders every template; SIGTERM stops between \
            steps. Under systemd (Type=notify) it reports READY and feeds the watchdog.
            """
    )

    @Argument(help: "The templates, each followed by its --output.")
    var templates: [String]

    @Option(name: .shortAndLong, help: "The installed configuration of the template before it (repeat per template).")
    var output: [String] = []

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var templateOptions: TemplateOptions

    @OptionGroup var installerOptions: InstallerOptions

    @Option(help: "Seconds between change probes.")
    var interval: Double = 10

    @Option(help: "Seconds NetBox must stay unchanged before installing, so a burst of edits gives one install.")
    var quietPeriod: Double = 5

    @Option(help: "Seconds after the first change at which to install even while NetBox is still changing.")
    var maxDelay: Double = 60

    @Option(help: "Seconds between full reads and renders whatever the probe says (0: never), for changes it cannot see.")
    var fullEvery: Double = 3600

    @Flag(name: .shortAndLong, help: "Also log every probe that found no change.")
    var verbose = false

    func validate() throws {
        if templates.isEmpty { throw ValidationError("give at least one template and its --output") }
        if templates.count != output.count {
            throw ValidationError("each template needs its own --output: \(templates.count) template\(templates.count == 1 ? "" : "s"), \(output.count) --output")
        }
        if Set(output).count != output.count { throw ValidationError("two templates have the same --output") }
        if dataOptions.data == "-" { throw ValidationError("watch cannot read a snapshot from standard input") }
        for (name, value) in [("--interval", interval), ("--quiet-period", quietPeriod), ("--max-delay", maxDelay)] {
            if !(value.isFinite && value >= 0) { throw ValidationError("\(name) must be a number of seconds, 0 or more") }
        }
        if interval < 0.1 { throw ValidationError("--interval must be at least 0.1 seconds") }
        if !(fullEvery.isFinite && fullEvery >= 0) { throw ValidationError("--full-every must be 0 or more seconds") }
    }

    func run() throws {
        let targets = try zip(templates, output).map { template, output in
            var options = try installerOptions.options(output: output)
            options.keaVersion = templateOptions.explicitKea
            return Watcher.Target(template: template, options: options)
        }
        var timing = Watcher.Timing()
        timing.interval = Self.duration(interval)
        timing.quietPeriod = Self.duration(quietPeriod)
        timing.maxDelay = Self.duration(maxDelay)
        timing.fullEvery = fullEvery > 0 ? Self.duration(fullEvery) : nil
        let control = WatchControl()
        let sources = WatchSignals.install(control)
        defer { sources.forEach { $0.cancel() } }
        let watcher = Watcher(targets: targets, source: dataOptions.source, variables: try templateOptions.variables,
                              timing: timing, lockTimeout: .seconds(installerOptions.lockTimeout), control: control,
                              notifier: SystemdNotifier(), verbose: verbose,
                              log: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        _ = watcher.run()
    }

    static func duration(_ seconds: Double) -> Duration {
        .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

/// SIGTERM/SIGINT (stop between steps) and SIGHUP (re-read the templates) for `watch`, taken from Dispatch sources
/// so the handling is ordinary code.
enum WatchSignals {
    static func install(_ control: WatchControl) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { control.received(number) }
            source.resume()
            return source
        }
    }
}
