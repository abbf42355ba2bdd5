import Diagnostics
import KeaNetbox

/// What a run leaves for people and machines, for failed runs as for successful ones: the summary on standard
/// output (the line, or one JSON object) and the node_exporter metrics file.
enum RunReport {
    static func finish(_ run: RunSummary, summary: SummaryFormat, metricsFile: String?) {
        if let metricsFile {
            // The run's own result stands; a metrics file that cannot be written shows up as a stale
            // kea_netbox_last_run_timestamp_seconds, and here.
            do {
                try MetricsFile(path: metricsFile).write(run)
            } catch {
                Terminal.report(error.diagnostics.map { Diagnostic(severity: .warning, message: $0.message) })
            }
        }
        switch summary {
        case .json: print(run.json)
        case .text: if run.status != .failed { print(run.line) }
        }
    }
}
