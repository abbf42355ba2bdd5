import Foundation
import Kea
import NetBox

/// The facts of one `install` run for machines, the same facts as its summary line: `--summary json` prints them
/// as one JSON object, `--metrics-file` writes them for node_exporter. Built for failed runs too, since a timer
/// job's failures are what monitoring is for.
public struct RunSummary: Sendable {
    public enum Status: String, Sendable {
        /// A new file is in place (reloaded, or the server was not running, or `--reload none`: see `reload`).
        case installed
        /// The installed file already had exactly these bytes: nothing written, nothing reloaded.
        case unchanged
        /// `hosts sync`: the changes are committed to Kea's host database (no reload needed).
        case synced
        case dryRun = "dry-run"
        /// Installed (or already in place) but no server confirmed loading it (exit 6); the next run retries.
        case notLoaded = "not-loaded"
        /// Exit code other than 0 or 6; `error` says why. The installed file is the previous one.
        case failed
    }

    /// What happened to the reload, when one was due.
    public enum Reload: String, Sendable {
        case reloaded
        /// The file is installed but no server was running to load it.
        case notRunning = "not-running"
        /// `--reload none`.
        case skipped
    }

    public let status: Status
    public let exitCode: Int32
    public let output: String
    public let template: String
    public let finishedAt: Date
    public let duration: Duration
    /// Counts of the new configuration; nil when the run failed before they were known.
    public let reservations: Int?
    public let subnets: Int?
    public let added: Int?
    public let removed: Int?
    public let changed: Int?
    /// nil when no reload was attempted (unchanged, dry run, failure before the reload).
    public let reload: Reload?
    public let reloadMethod: String?
    public let backup: String?
    /// NetBox data warnings worth showing (see `DataWarningSummary`), config warnings (semantic checks, dialect)
    /// and template warnings (`{% warn %}`, `| raw`).
    public let dataWarnings: Int
    public let configWarnings: Int
    public let templateWarnings: Int
    public let error: String?
    /// The unified diff of a dry run (in the JSON, since a diff printed beside it would break a JSON reader).
    public let diff: String?
    /// The human summary line (success) or the error's first line.
    public let line: String

    /// `output` is `--output` as given (a symlink stays the link), so that a run's metrics keep one label
    /// whether it succeeded or failed.
    public init(_ outcome: InstallPipeline.Outcome, output: String, template: String, finishedAt: Date = Date()) {
        let report = outcome.report
        switch report.action {
        case _ where report.notLoaded != nil: status = .notLoaded
        case .installed: status = .installed
        case .unchanged, .inputsUnchanged: status = .unchanged
        case .dryRun: status = .dryRun
        }
        // 6: installed, not loaded (see Installer's state): a timer or monitor must tell it from serving.
        exitCode = report.notLoaded == nil ? 0 : 6
        self.output = output
        self.template = template
        self.finishedAt = finishedAt
        duration = report.elapsed
        reservations = report.reservations
        subnets = report.subnets
        added = report.added
        removed = report.removed
        changed = report.changed
        switch report.reloadOutcome {
        case .reloaded?: reload = .reloaded
        case .notRunning?: reload = .notRunning
        case .skipped?: reload = .skipped
        case nil: reload = nil
        }
        reloadMethod = report.reloadMethod
        backup = report.backupPath
        dataWarnings = outcome.dataWarnings?.count ?? 0
        configWarnings = report.warnings.count
        templateWarnings = outcome.rendered?.templateWarnings.count ?? 0
        error = nil
        diff = report.action == .dryRun ? report.diff : nil
        line = report.summaryLine
    }

    public init(failure: PipelineError, output: String, template: String, duration: Duration, dataWarnings: Int,
                finishedAt: Date = Date()) {
        status = .failed
        exitCode = failure.exitCode
        self.output = output
        self.template = template
        self.finishedAt = finishedAt
        self.duration = duration
        reservations = nil
        subnets = nil
        added = nil
        removed = nil
        changed = nil
        reload = nil
        reloadMethod = nil
        backup = nil
        self.dataWarnings = dataWarnings
        configWarnings = 0
        templateWarnings = 0
        error = failure.message
        diff = nil
        line = failure.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? failure.message
    }

    public var seconds: Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One JSON object, keys sorted, on one line (`jq` reads it; a log collector keeps it whole).
    public var json: String {
        func count(_ value: Int?) -> JSONValue { value.map(JSONValue.integer) ?? .null }
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return JSONValue.object([
            "status": .string(status.rawValue),
            "exit_code": .integer(Int(exitCode)),
            "output": .string(output),
            "template": .string(template),
            "finished_at": .string(Self.timestamp(finishedAt)),
            "duration_seconds": .number((seconds * 1000).rounded() / 1000),
            "reservations": .object(["total": count(reservations), "added": count(added),
                                     "removed": count(removed), "changed": count(changed)]),
            "subnets": count(subnets),
            "reload": .object(["result": text(reload?.rawValue), "method": text(reloadMethod)]),
            "backup": text(backup),
            "warnings": .object(["netbox_data": .integer(dataWarnings), "config": .integer(configWarnings),
                                 "template": .integer(templateWarnings)]),
            "error": text(error),
            "diff": text(diff),
            "summary": .string(line),
        ]).jsonText
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }
}
