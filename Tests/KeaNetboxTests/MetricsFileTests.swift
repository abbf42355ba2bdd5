import Foundation
import Testing
@testable import KeaNetbox

/// The textfile's own rules: Prometheus label escaping, and what a failed run keeps from the previous file.
/// (What a real install writes is checked end to end in RunReportingTests.)
@Suite struct MetricsFileTests {
    func failure(output: String) -> RunSummary {
        RunSummary(failure: .dataSource("NetBox database: timeout"), output: output, template: "t.tmpl",
                   duration: .milliseconds(1500), dataWarnings: 2, finishedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func labelValuesEscapeQuotesBackslashesAndLineBreaks() {
        let text = MetricsFile.text(failure(output: "/etc/kea/a\"b\\c\nd.conf"), previous: nil)
        #expect(text.contains(#"kea_netbox_last_run_success{output="/etc/kea/a\"b\\c\nd.conf"} 0"#), "\(text)")
        #expect(!text.contains("\nd.conf"))
    }

    @Test func aFailureWithoutAnEarlierSuccessHasNoSuccessTime() {
        let text = MetricsFile.text(failure(output: "/etc/kea/kea-dhcp4.conf"), previous: nil)
        #expect(text.contains("kea_netbox_last_run_exit_code{output=\"/etc/kea/kea-dhcp4.conf\"} 3\n"))
        #expect(text.contains("kea_netbox_last_run_duration_seconds{output=\"/etc/kea/kea-dhcp4.conf\"} 1.5\n"))
        #expect(text.contains("kea_netbox_last_run_timestamp_seconds{output=\"/etc/kea/kea-dhcp4.conf\"} 1800000000\n"))
        #expect(text.contains("kea_netbox_data_warnings{output=\"/etc/kea/kea-dhcp4.conf\"} 2\n"))
        #expect(!text.contains("kea_netbox_last_success_timestamp_seconds"))
        #expect(!text.contains("kea_netbox_reservations{"))
    }

    @Test func aFailureKeepsOnlyTheSameOutputsValuesFromThePreviousFile() {
        let previous = """
            kea_netbox_last_success_timestamp_seconds{output="/etc/kea/kea-dhcp4.conf"} 1700000000
            kea_netbox_reservations{output="/etc/kea/kea-dhcp4.conf"} 1204
            kea_netbox_subnets{output="/etc/kea/other.conf"} 9
            """
        let text = MetricsFile.text(failure(output: "/etc/kea/kea-dhcp4.conf"), previous: previous)
        #expect(text.contains("kea_netbox_last_success_timestamp_seconds{output=\"/etc/kea/kea-dhcp4.conf\"} 1700000000\n"))
        #expect(text.contains("kea_netbox_reservations{output=\"/etc/kea/kea-dhcp4.conf\"} 1204\n"))
        #expect(!text.contains("kea_netbox_subnets{"), "another output's value is not ours: \(text)")
    }

    @Test func everyMetricHasHelpAndType() {
        let lines = MetricsFile.text(failure(output: "/x"), previous: nil).split(separator: "\n")
        let samples = lines.filter { !$0.hasPrefix("#") }
        #expect(lines.filter { $0.hasPrefix("# HELP ") }.count == samples.count)
        #expect(lines.filter { $0.hasPrefix("# TYPE ") && $0.hasSuffix(" gauge") }.count == samples.count)
        #expect(samples.allSatisfy { $0.hasPrefix("kea_netbox_") })
    }
}
