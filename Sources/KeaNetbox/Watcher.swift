import Diagnostics
import Foundation
import Kea
import NetBox

/// `kea-netbox watch` (DESIGN §8): `install` in a loop driven by the change probe. One process for any number of
/// templates, one database session for the probes; after a change it waits until NetBox has been quiet for the
/// quiet period (never longer than the maximum delay), then runs the whole install of every template — each one
/// reloads its own server once, and one whose inputs did not change skips its read. A failed install, an
/// unreachable NetBox or a server that is down is retried with a growing delay; nothing stops the loop but
/// SIGTERM/SIGINT.
public struct Watcher: Sendable {
    public struct Target: Sendable {
        public let template: String
        public let options: Installer.Options

        public init(template: String, options: Installer.Options) {
            self.template = template
            self.options = options
        }
    }

    public struct Timing: Sendable {
        public var interval: Duration = .seconds(10)
        public var quietPeriod: Duration = .seconds(5)
        public var maxDelay: Duration = .seconds(60)
        /// Runs the whole read and render at least this often, for what the probe cannot see; nil: never.
        public var fullEvery: Duration? = nil
        /// The longest wait before retrying a failed install or probe (the delay doubles from `interval`).
        public var maxRetryDelay: Duration = .seconds(300)

        public init() {}
    }

    public let targets: [Target]
    public let source: DataSource
    public let variables: TemplateVariables
    public let timing: Timing
    public let lockTimeout: Duration
    public let control: WatchControl
    public let notifier: SystemdNotifier
    /// Log lines with `-v`: one per probe, so that an idle watcher can be seen probing.
    public let verbose: Bool
    /// One line per action (journald keeps them).
    public let log: @Sendable (String) -> Void

    public init(targets: [Target], source: DataSource, variables: TemplateVariables, timing: Timing,
                lockTimeout: Duration, control: WatchControl, notifier: SystemdNotifier, verbose: Bool,
                log: @escaping @Sendable (String) -> Void) {
        self.targets = targets
        self.source = source
        self.variables = variables
        self.timing = timing
        self.lockTimeout = lockTimeout
        self.control = control
        self.notifier = notifier
        self.verbose = verbose
        self.log = log
    }

    /// Runs until SIGTERM/SIGINT; returns the signal that stopped it.
    public func run() -> Int32 {
        var loop = Loop(watcher: self, probe: source.changeProbe())
        log("watch: \(targets.count) template\(targets.count == 1 ? "" : "s") (\(targets.map(\.template).joined(separator: ", "))), probing every \(Self.text(timing.interval)), quiet period \(Self.text(timing.quietPeriod)), max delay \(Self.text(timing.maxDelay))\(timing.fullEvery.map { ", full run every \(Self.text($0))" } ?? "")")
        loop.start()
        notifier.ready(status: loop.status)
        while control.stopSignal == nil {
            loop.step()
        }
        notifier.stopping()
        let signal = control.stopSignal ?? SIGTERM
        log("watch: \(InstallInterruption.name(of: signal)) received, stopped")
        return signal
    }

    static func text(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}

/// The watcher's state between steps.
private struct Loop {
    let watcher: Watcher
    let probe: (any NetBoxChangeProbe)?

    /// The probe series the loop compares against, and the last mark of it.
    var reference: ChangeMark? = nil
    var last: ChangeMark? = nil
    var probeFailures = 0
    /// The template files (and includes, and a snapshot file) each install was made from, and their digests.
    var files = InstallInputs.Files()
    /// First and latest change seen since the last install.
    var firstChange: ContinuousClock.Instant? = nil
    var latestChange: ContinuousClock.Instant? = nil
    var failing: Set<Int> = []
    var installFailures = 0
    var nextRetry: ContinuousClock.Instant = .now
    var lastFull: ContinuousClock.Instant = .now
    var nextProbe: ContinuousClock.Instant = .now
    /// False during the first installs, before systemd is told READY (their beats extend the start-up time-out).
    var started = false

    init(watcher: Watcher, probe: (any NetBoxChangeProbe)?) {
        self.watcher = watcher
        self.probe = probe
    }

    var status: String {
        failing.isEmpty ? "watching \(watcher.targets.count) template\(watcher.targets.count == 1 ? "" : "s")"
            : "\(failing.count) of \(watcher.targets.count) installs failing, retrying"
    }

    mutating func start() {
        reference = newSeries()
        last = reference
        installAll(full: false, because: "start")
        started = true
    }

    mutating func step() {
        wait(until: nextProbe)
        guard watcher.control.stopSignal == nil else { return }
        nextProbe = .now + watcher.timing.interval
        if watcher.control.takeReread() {
            watcher.log("watch: SIGHUP: re-reading the templates")
            rebase()
            installAll(full: true, because: "SIGHUP")
            return
        }
        let now = ContinuousClock.now
        if sawChange() {
            firstChange = firstChange ?? now
            latestChange = now
        }
        var reason: String? = nil
        if let first = firstChange, let latest = latestChange {
            if now - latest >= watcher.timing.quietPeriod {
                reason = "quiet for \(Watcher.text(watcher.timing.quietPeriod))"
            } else if now - first >= watcher.timing.maxDelay {
                reason = "still changing after the max delay of \(Watcher.text(watcher.timing.maxDelay))"
            }
        }
        let fullDue = watcher.timing.fullEvery.map { now - lastFull >= $0 } ?? false
        if reason == nil, fullDue { reason = "full run due" }
        if reason == nil, !failing.isEmpty, now >= nextRetry { reason = "retrying the failed install" }
        guard let reason else {
            // Look again when the quiet period or the max delay would end, not a whole interval later.
            if let first = firstChange, let latest = latestChange {
                nextProbe = min(nextProbe, latest + watcher.timing.quietPeriod, first + watcher.timing.maxDelay)
            }
            return
        }
        rebase()
        installAll(full: fullDue, because: reason)
    }

    /// Sleeps until `deadline`, telling the watchdog we live at least as often as it asks.
    private func wait(until deadline: ContinuousClock.Instant) {
        while ContinuousClock.now < deadline, watcher.control.stopSignal == nil {
            let slice = watcher.notifier.watchdogInterval.map { min(deadline, .now + $0) } ?? deadline
            watcher.control.wait(until: slice)
            watcher.notifier.alive()
            if watcher.control.rereadAsked() { return }
        }
        watcher.notifier.alive()
    }

    /// Probes NetBox and the template files; true when either changed since the last probe.
    private mutating func sawChange() -> Bool {
        var changed = false
        let now = InstallInputs.files(files.digests.keys, known: files)
        if now.digests != files.digests {
            let which = now.digests.filter { files.digests[$0.key] != $0.value }.keys.sorted()
            watcher.log("watch: template file changed: \(which.joined(separator: ", "))")
            changed = true
        }
        files = now
        guard let probe else { return changed }
        guard let reference else {
            // No series yet (NetBox was unreachable): start one; the installs that follow read everything.
            if let started = newSeries() {
                self.reference = started
                last = started
                return true
            }
            return changed
        }
        do {
            let mark = try probe.mark(base: reference.base)
            if probeFailures > 0 {
                watcher.log("watch: NetBox reachable again after \(probeFailures) failed probe\(probeFailures == 1 ? "" : "s")")
                probeFailures = 0
                // Whatever happened meanwhile is found by the installs' own probes (or their full read).
                changed = true
            }
            if mark != last {
                watcher.log("watch: NetBox changed (change log \(mark.newest.map(String.init) ?? "empty"), \(mark.recent) recent entries)")
                last = mark
                changed = true
            } else if watcher.verbose {
                watcher.log("watch: probe: no change")
            }
        } catch {
            probeFailed(error)
        }
        return changed
    }

    private mutating func probeFailed(_ error: DataSourceError) {
        probeFailures += 1
        let delay = retryDelay(after: probeFailures)
        nextProbe = .now + delay
        watcher.log("watch: NetBox probe failed (\(Self.oneLine(error.message))); next try in \(Watcher.text(delay))")
    }

    /// A new probe series, taken before the installs read: changes after it are seen against it.
    private mutating func newSeries() -> ChangeMark? {
        guard let probe else { return nil }
        do {
            let mark = try probe.mark(base: nil)
            probeFailures = 0
            return mark
        } catch {
            probeFailed(error)
            return nil
        }
    }

    private mutating func rebase() {
        if let mark = newSeries() {
            reference = mark
            last = mark
        }
    }

    private mutating func installAll(full: Bool, because reason: String) {
        firstChange = nil
        latestChange = nil
        if full { lastFull = .now }
        var watched = InstallInputs.Files()
        for (index, target) in watcher.targets.enumerated() {
            guard let interruption = watcher.control.beginInstall() else { return }
            defer { watcher.control.endInstall() }
            var options = target.options
            options.interruption = interruption
            // The watchdog is fed while the install gets somewhere (between its steps, and while the check command
            // uses CPU), not by a timer: a hung install still gets the watcher restarted.
            options.heartbeat = watcher.notifier.heartbeat(starting: !started)
            options.heartbeat?.beat()
            let log = watcher.log
            let pipeline = InstallPipeline(template: target.template, source: watcher.source,
                                           variables: watcher.variables, options: options,
                                           lockTimeout: watcher.lockTimeout, full: full, probe: probe)
            do throws(PipelineError) {
                let outcome = try pipeline.run { summary in
                    if summary.count > 0 { log("install (\(reason)) \(target.options.output): \(summary.count) NetBox data warning\(summary.count == 1 ? "" : "s") (run install to see them)") }
                }
                let report = outcome.report
                if report.notLoaded != nil {
                    failing.insert(index)
                } else {
                    failing.remove(index)
                }
                watcher.log("install (\(reason)): \(report.summaryLine)")
            } catch {
                failing.insert(index)
                watcher.log("install (\(reason)) \(target.options.output) failed (exit \(error.exitCode)): \(Self.oneLine(error.message))")
            }
            watched.merge(Self.files(of: target))
        }
        files = watched
        if failing.isEmpty {
            installFailures = 0
        } else {
            installFailures += 1
            let delay = retryDelay(after: installFailures)
            nextRetry = .now + delay
            watcher.log("watch: \(failing.count) install\(failing.count == 1 ? "" : "s") not done or not loaded; retrying in \(Watcher.text(delay))")
        }
        watcher.notifier.status(status)
    }

    /// interval, 2×, 4×, … up to the maximum retry delay.
    private func retryDelay(after failures: Int) -> Duration {
        let factor = 1 << min(max(failures - 1, 0), 16)
        return min(watcher.timing.interval * factor, max(watcher.timing.maxRetryDelay, watcher.timing.interval))
    }

    /// What the target's last install was made from, as that install read it (an edit made since is then seen by the
    /// next probe); the template as it is now when no install recorded it (one that failed early).
    private static func files(of target: Watcher.Target) -> InstallInputs.Files {
        let state = (try? InstallState.read(for: Installer.destination(of: target.options.output))) ?? nil
        var files = InstallInputs(text: state?.inputs)?.recorded ?? InstallInputs.Files()
        if files.digests[target.template] == nil { files.merge(InstallInputs.files([target.template])) }
        return files
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " | ")
    }
}
