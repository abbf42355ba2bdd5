import Foundation
import Kea

extension RunSummary {
    /// The `output` of a hosts sync's summary and metrics label: the host database, named without its conninfo
    /// (which may hold a password).
    public static let hostDatabaseOutput = "kea-host-database"

    /// A `hosts sync` run, in the terms of an install's summary: reservations are the managed hosts; subnets,
    /// reload and backup do not apply.
    public init(_ outcome: HostsSyncPipeline.Outcome, template: String, finishedAt: Date = Date()) {
        let report = outcome.report
        switch report.action {
        case .synced: status = .synced
        case .unchanged: status = .unchanged
        case .dryRun: status = .dryRun
        }
        exitCode = 0
        output = Self.hostDatabaseOutput
        self.template = template
        self.finishedAt = finishedAt
        duration = report.elapsed
        reservations = report.hosts4 + report.hosts6
        subnets = nil
        added = report.added
        removed = report.removed
        changed = report.changed
        reload = nil
        reloadMethod = nil
        backup = nil
        dataWarnings = outcome.dataWarnings.count
        configWarnings = report.warnings.count
        templateWarnings = outcome.rendered.templateWarnings.count
        error = nil
        diff = report.action == .dryRun ? report.diff : nil
        line = report.summaryLine
    }
}
