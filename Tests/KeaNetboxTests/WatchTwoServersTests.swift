import Foundation
import KeaTestSupport
import Testing

/// One `watch` for the v4 and the v6 template — two outputs, a running kea-dhcp4 and kea-dhcp6 with their control
/// sockets — on every Kea in the field (the host's 2.2, the 2.6 and 3.0 chroots), against a NetBox-shaped database
/// edited as NetBox edits it. Waits poll with generous limits; nothing is timed.
@Suite struct WatchTwoServersTests {
    /// Two addresses renamed in one NetBox save (one transaction, a change-log row each).
    static func rename(_ renames: [(address: String, dns: String)]) -> String {
        "BEGIN;\n" + renames.map { address, dns in
            """
            UPDATE ipam_ipaddress SET dns_name = '\(dns)' WHERE address = '\(address)';
            SELECT fx_log_change('ipam', 'ipaddress', (SELECT id FROM ipam_ipaddress WHERE address = '\(address)'), 'update');
            """
        }.joined(separator: "\n") + "\nCOMMIT;"
    }

    /// A server's reconfigurations after its start, from its log (Kea logs this line for config-reload and SIGHUP
    /// on 2.2, 2.6 and 3.0): what the server itself says, not what the watcher claims.
    static func reconfigurations(_ server: RunningKea, family: Int) -> Int {
        let log = (try? String(contentsOf: server.log, encoding: .utf8)) ?? ""
        return log.components(separatedBy: "DHCP\(family)_DYNAMIC_RECONFIGURATION ").count - 1
    }

    @Test(arguments: KeaUnderTest.all)
    func oneWatcherKeepsTheV4AndTheV6ServerInStep(kea: KeaUnderTest) throws {
        guard let host = TestCluster.available(), Prerequisites.usable(kea),
              let dhcp4 = kea.program("kea-dhcp4").map(URL.init(fileURLWithPath:)),
              let dhcp6 = kea.program("kea-dhcp6").map(URL.init(fileURLWithPath:)) else { return }
        let folder = try TemporaryFolder()
        let database = try TestCluster(host: host, shape: .netbox4x, data: "demo-data.sql")
        let environment = kea.environment(folder: folder.url.path)
        var templates: [Int: String] = [:], sockets: [Int: String] = [:], outputs: [Int: String] = [:]
        for family in [4, 6] {
            let portable = try LiveInstallTests().portable(family, in: folder)
            // One folder for both servers (Kea's folder variables point there): a lease file and a log each.
            let text = try String(contentsOf: portable.template, encoding: .utf8)
                .replacingOccurrences(of: "/leases.csv", with: "/leases\(family).csv")
                .replacingOccurrences(of: #"{ "output": "syslog" }"#, with: #"{ "output": "stdout" }"#)
            try Data(text.utf8).write(to: portable.template)
            templates[family] = portable.template.path
            sockets[family] = portable.socket
            outputs[family] = folder.url.appendingPathComponent("kea-dhcp\(family).conf").path
        }
        let output4 = try #require(outputs[4]), output6 = try #require(outputs[6])
        for family in [4, 6] {
            let first = try CommandRunner.keaNetbox(["install", templates[family] ?? "", "--database", database.conninfo,
                                                     "--output", outputs[family] ?? "", "--reload", "none"],
                                                    environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
        }
        let server4 = try RunningKea(program: dhcp4, config: output4, folder: folder, socketPath: sockets[4] ?? "",
                                     kea: kea, log: "kea4.log")
        let server6 = try RunningKea(program: dhcp6, config: output6, folder: folder, socketPath: sockets[6] ?? "",
                                     kea: kea, log: "kea6.log")
        let watcher = try WatchProcess([templates[4] ?? "", "--output", output4, templates[6] ?? "", "--output", output6,
                                        "--database", database.conninfo, "--interval", "0.5", "--quiet-period", "1",
                                        "--max-delay", "20"], folder: folder, environment: environment)
        defer { _ = watcher.stop() }
        #expect(watcher.waitFor { watcher.count("install (start)") == 2 }, "\(watcher.lines)")
        #expect(watcher.count("installed ") == 0, "the servers already run these files: \(watcher.lines)")

        // web1 has a v4 and a v6 address: renaming both in one save changes both files, once each.
        try database.execute(Self.rename([("192.0.2.10/24", "both.ams1.example.net"),
                                          ("2001:db8:1::10/64", "both.ams1.example.net")]))
        // The servers have the files before the watcher logs the installs that reloaded them: wait for both.
        let both = try watcher.waitFor(seconds: 40) {
            try server4.reservedHostnames(family: "4").contains("both.ams1.example.net")
                && server6.reservedHostnames(family: "6").contains("both.ams1.example.net")
                && watcher.count("installed \(output6)") == 1
        }
        #expect(both, "\(watcher.lines)")
        #expect(watcher.count("installed \(output4)") == 1, "\(watcher.lines)")
        #expect(watcher.count("installed \(output6)") == 1, "\(watcher.lines)")
        #expect(watcher.count("reloaded via") == 2, "\(watcher.lines)")
        #expect(Self.reconfigurations(server4, family: 4) == 1)
        #expect(Self.reconfigurations(server6, family: 6) == 1)

        // sensor-gw has only a v6 address: both templates are rendered again (the probe cannot tell which data
        // a template reads), the v4 output comes out byte for byte the same, so only the v6 server is reloaded.
        let upToDate4 = watcher.count("\(output4) is up to date: ")
        try database.execute(Self.rename([("2001:db8:2::30/64", "only-v6.fra1.example.net")]))
        let v6 = try watcher.waitFor(seconds: 40) {
            try server6.reservedHostnames(family: "6").contains("only-v6.fra1.example.net")
                && watcher.count("\(output4) is up to date: ") > upToDate4 && watcher.count("installed \(output6)") == 2
        }
        #expect(v6, "\(watcher.lines)")
        #expect(watcher.count("installed \(output6)") == 2, "\(watcher.lines)")
        #expect(watcher.count("installed \(output4)") == 1, "\(watcher.lines)")
        #expect(watcher.count("\(output4) is up to date: ") == upToDate4 + 1, "\(watcher.lines)")
        #expect(watcher.count("reloaded via") == 3, "\(watcher.lines)")
        #expect(Self.reconfigurations(server4, family: 4) == 1, "no reload where the output did not change")
        #expect(Self.reconfigurations(server6, family: 6) == 2)
        #expect(try !server4.reservedHostnames(family: "4").contains("only-v6.fra1.example.net"))

        #expect(watcher.stop() == 0)
    }
}
