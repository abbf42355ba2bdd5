import Foundation
import Kea

/// `--metrics-file PATH`: the last install run as a node_exporter textfile-collector file
/// (`--collector.textfile.directory`, on Debian `/var/lib/prometheus/node-exporter`). Replaced by rename, so the
/// collector never reads half a file, and readable by everyone (0644): node_exporter runs as its own user.
///
/// A failed run keeps the last success's time and counts from the previous file: the alert "no success for an
/// hour" needs the time of the last success, not of the last attempt.
public struct MetricsFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func write(_ summary: RunSummary) throws(PipelineError) {
        let previous = try? String(contentsOfFile: path, encoding: .utf8)
        do {
            try FileReplacement.write(Self.text(summary, previous: previous), to: path, newFileMode: 0o644)
        } catch {
            throw .failure("--metrics-file \(path): \(error)")
        }
    }

    /// The metrics that describe the installed configuration rather than the run: carried over from the
    /// previous file when this run did not install (failed or dry run).
    static let carriedOver = ["kea_netbox_last_success_timestamp_seconds", "kea_netbox_reservations", "kea_netbox_subnets"]

    static func text(_ summary: RunSummary, previous: String?) -> String {
        let label = "{output=\"\(labelValue(summary.output))\"}"
        let succeeded = summary.exitCode == 0 && summary.status != .dryRun
        var lines: [String] = []
        func metric(_ name: String, _ help: String, _ value: Double?) {
            guard let value else { return }
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) gauge")
            lines.append("\(name)\(label) \(number(value))")
        }
        let finished = summary.finishedAt.timeIntervalSince1970
        let kept = succeeded ? [:] : previousValues(previous, label: label)
        metric("kea_netbox_last_run_timestamp_seconds", "When the last kea-netbox install run ended (Unix time).",
               finished)
        metric("kea_netbox_last_run_success", "1 if the last run installed or found the file up to date, else 0.",
               succeeded ? 1 : 0)
        metric("kea_netbox_last_run_exit_code", "Exit code of the last run (man kea-netbox-install).",
               Double(summary.exitCode))
        metric("kea_netbox_last_run_duration_seconds", "How long the last run took.", summary.seconds)
        metric("kea_netbox_last_success_timestamp_seconds", "When the last successful run ended (Unix time).",
               succeeded ? finished : kept["kea_netbox_last_success_timestamp_seconds"])
        metric("kea_netbox_reservations", "Host reservations in the installed configuration.",
               succeeded ? summary.reservations.map(Double.init) : kept["kea_netbox_reservations"])
        metric("kea_netbox_subnets", "Subnets in the installed configuration.",
               succeeded ? summary.subnets.map(Double.init) : kept["kea_netbox_subnets"])
        metric("kea_netbox_last_run_reservations_added", "Reservations the last run added.",
               summary.added.map(Double.init))
        metric("kea_netbox_last_run_reservations_removed", "Reservations the last run removed.",
               summary.removed.map(Double.init))
        metric("kea_netbox_last_run_reservations_changed", "Reservations the last run changed.",
               summary.changed.map(Double.init))
        metric("kea_netbox_last_run_reloaded", "1 if the last run made Kea load a new configuration, else 0.",
               summary.reload == .reloaded ? 1 : 0)
        metric("kea_netbox_data_warnings", "NetBox data warnings of the last run about hosts the template uses.",
               Double(summary.dataWarnings))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Values of the carried-over metrics with this label in a file this type wrote before.
    static func previousValues(_ text: String?, label: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in (text ?? "").split(separator: "\n") where !line.hasPrefix("#") {
            for name in carriedOver where line.hasPrefix(name + label + " ") {
                values[name] = Double(line.dropFirst(name.count + label.count + 1))
            }
        }
        return values
    }

    /// Prometheus's text format: a label value escapes backslash, double quote and line feed.
    static func labelValue(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
