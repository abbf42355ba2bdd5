import Diagnostics
import Foundation
import KeaNetbox
import NetBox
import Testing

/// NetBox data warnings as a timer job prints them: one line per kind by default, only about hosts the
/// template's lookups could have returned; every one with `-v`; none with `-q`.
@Suite struct DataWarningSummaryTests {
    func missingMAC(_ host: Int, in network: String = "192.0.2") -> DataWarning {
        let address = "\(network).\(host)"
        let subject = "device \"router-\(host)\" interface \"lo\" IP \(address)/24 (IP id \(host))"
        return DataWarning(.missingMAC, "\(subject): the interface holding the primary IP has no MAC address; no reservation",
                           subject: subject, address: IPAddress(address), vrf: nil)
    }

    var ams1: LookedUpSubnet { subnet("192.0.2.0/24") }

    func subnet(_ text: String, vrf: String? = nil) -> LookedUpSubnet {
        // A literal of the test itself, not outside data.
        LookedUpSubnet(subnet: IPPrefix(text)!, vrf: vrf)
    }

    @Test func manyWarningsOfOneKindAreOneLineWithACountAndTheFirstObjects() {
        let summary = DataWarningSummary((1...20).map { missingMAC($0) }, lookedUp: [ams1])
        #expect(summary.count == 20)
        let expected: String = "NetBox data: 20 × primary or out-of-band IP on an interface without a (primary) MAC address, "
            + "no reservation: device \"router-1\" interface \"lo\" IP 192.0.2.1/24 (IP id 1); "
            + "device \"router-2\" interface \"lo\" IP 192.0.2.2/24 (IP id 2); "
            + "device \"router-3\" interface \"lo\" IP 192.0.2.3/24 (IP id 3); and 17 more (-v lists every one)"
        #expect(summary.summaryDiagnostics().map(\.message) == [expected])
        #expect(summary.summaryDiagnostics().map(\.severity) == [.warning])
        #expect(summary.summaryDiagnostics().map(\.rule) == ["missing-mac"])
        #expect(summary.allDiagnostics.count == 20)
    }

    @Test func aSingleWarningIsPrintedWhole() {
        let warning = missingMAC(7)
        #expect(DataWarningSummary([warning], lookedUp: [ams1]).summaryDiagnostics() == [warning.diagnostic])
    }

    @Test func hostsOutsideEverySubnetTheTemplateLookedUpAreLeftOutOfTheSummary() {
        let summary = DataWarningSummary([missingMAC(1), missingMAC(2, in: "10.9.9")], lookedUp: [ams1])
        #expect(summary.count == 1)
        #expect(summary.summaryDiagnostics() == [missingMAC(1).diagnostic])
        #expect(summary.allDiagnostics.map(\.message) == [
            "NetBox data: " + missingMAC(1).message,
            "NetBox data: " + missingMAC(2, in: "10.9.9").message + " (outside every subnet the template looked up)",
        ])
    }

    @Test func aLookupInAnotherVRFDoesNotCoverTheGlobalTable() {
        let summary = DataWarningSummary([missingMAC(1)], lookedUp: [subnet("192.0.2.0/24", vrf: "oob")])
        #expect(summary.count == 0)
        #expect(summary.unused.count == 1)
    }

    @Test func withoutARenderEveryWarningCounts() {
        let summary = DataWarningSummary([missingMAC(1), missingMAC(2, in: "10.9.9")], lookedUp: nil)
        #expect(summary.count == 2)
    }

    /// The case end to end: 20 MAC-less routers in a subnet the template uses give one line; 5 in a
    /// subnet it does not use give none; -v lists all 25; -q prints no warning but the render still succeeds.
    @Test func twentyMACLessRoutersPrintOneLine() throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: .netbox4x, data: "demo-data.sql")
        try database.execute("""
            SELECT fx_primary(fx_ip(('192.0.2.' || (200 + n) || '/24')::inet, fx_interface(fx_device('router-' || n, 'ams1'), 'lo')))
              FROM generate_series(1, 20) AS n;
            SELECT fx_primary(fx_ip(('10.9.9.' || n || '/24')::inet, fx_interface(fx_device('lab-' || n, 'ams1'), 'lo')))
              FROM generate_series(1, 5) AS n;
            """)
        let template = "templates/kea-dhcp4.conf.tmpl"
        let normal = try CommandRunner.keaNetbox(["render", template, "--database", database.conninfo])
        #expect(normal.status == 0, "\(normal.stderr)")
        let warnings = normal.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
        #expect(warnings.count == 1, "\(normal.stderr)")
        #expect(warnings.first?.hasPrefix("warning: NetBox data: 20 × primary or out-of-band IP on an interface without a (primary) MAC address") == true)
        #expect(warnings.first?.hasSuffix("; and 17 more (-v lists every one) [missing-mac]") == true, "\(normal.stderr)")
        #expect(!normal.stderr.contains("lab-"), "10.9.9.0/24 is not in the template: \(normal.stderr)")

        let verbose = try CommandRunner.keaNetbox(["render", template, "--database", database.conninfo, "-v"])
        #expect(verbose.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }.count == 25, "\(verbose.stderr)")
        #expect(verbose.stdout == normal.stdout)

        let quiet = try CommandRunner.keaNetbox(["render", template, "--database", database.conninfo, "-q"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(quiet.stdout == normal.stdout)
    }

    @Test func quietNeverSilencesAnError() throws {
        let folder = try TemporaryFolder()
        let broken = try folder.write("broken.json", "{")
        let result = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--data", broken.path, "-q"])
        #expect(result.status == 3)
        #expect(result.stderr.contains(broken.path), "\(result.stderr)")
    }
}
