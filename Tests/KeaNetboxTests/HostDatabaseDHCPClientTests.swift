import Foundation
import Testing

/// The host database end to end: `kea-netbox hosts sync` writes NetBox's reservations into a database made by
/// `kea-admin db-init pgsql`, a real Kea with `hosts-database` serves a real DHCP client (as in DHCPClientTests:
/// two network namespaces, a veth pair, documentation addresses) the reserved address; then NetBox moves the host,
/// a second sync updates the row, and the same client, asking afresh, gets the new address while Kea's log shows
/// that Kea was never reloaded.
@Suite struct HostDatabaseDHCPClientTests {
    let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path
    let hostsTemplate = CommandRunner.repositoryRoot.appendingPathComponent("templates/kea-hosts.json.tmpl").path

    /// Kea 2.2 logs this when it reads its configuration (start-up and every reload) and this for a reload.
    static func reconfigurations(_ log: String, family: Int) -> (configured: Int, reloads: Int) {
        (log.components(separatedBy: "DHCP\(family)_CONFIG_COMPLETE").count - 1,
         log.components(separatedBy: "DHCP\(family)_DYNAMIC_RECONFIGURATION").count - 1)
    }

    func keaLog(_ folder: TemporaryFolder) -> String {
        (try? String(contentsOf: folder.url.appendingPathComponent("kea.log"), encoding: .utf8)) ?? ""
    }

    func hostsDatabase(_ database: KeaHostTestDatabase) -> String {
        #""hosts-database": { "type": "postgresql", "name": "\#(database.name)", "host": "\#(database.host)", "user": "postgres" }"#
    }

    func sync(_ database: KeaHostTestDatabase, data: String, in pair: NamespacePair) throws -> CommandResult {
        try pair.inServer([try CommandRunner.keaNetbox.path, "hosts", "sync", hostsTemplate, "--kea-database",
                           database.conninfo, "--data", data])
    }

    @Test func kea4ServesTheSyncedReservationAndTheMovedOneWithoutAReload() throws {
        guard let found = Prerequisites.namespaceTools([("kea-dhcp4", "kea-dhcp4-server"), ("busybox", "busybox")]) else { return }
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let (kea4, busybox) = (found.tools[0], found.tools[1])
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        let pair = try NamespacePair(ip: found.ip, clientMAC: DHCPClientTests.web1, ipv6: false)
        let socket = folder.url.appendingPathComponent("kea4.sock").path

        // The shipped hosts-database config template, bound to the veth end and pointed at the test database.
        let shipped = try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("templates/kea-dhcp4-hostsdb.conf.tmpl"),
                                 encoding: .utf8)
        let portable = shipped
            .replacingOccurrences(of: #""interfaces": [ "eth1", "eth2" ]"#, with: #""interfaces": [ "\#(pair.serverInterface)" ]"#)
            .replacingOccurrences(of: "/run/kea/kea4-ctrl-socket", with: socket)
            .replacingOccurrences(of: "/var/lib/kea/kea-leases4.csv", with: folder.url.appendingPathComponent("leases4.csv").path)
            .replacingOccurrences(of: #""output": "syslog""#, with: #""output": "stdout""#)
            .replacingOccurrences(of: #"""
                "hosts-database": {
                      "type": "postgresql",
                      "name": "kea",
                      "host": "localhost",
                      "user": "kea"
                    }
                """#, with: hostsDatabase(database))
        #expect(portable.contains(database.name), "the shipped template's hosts-database changed shape; adjust this test")
        let template = try folder.write("kea-dhcp4.conf.tmpl", portable)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let installed = try pair.inServer([try CommandRunner.keaNetbox.path, "install", template.path, "--data", demo,
                                           "--output", output, "--reload", "none"])
        try #require(installed.status == 0, "\(installed.stderr)")
        let first = try sync(database, data: demo, in: pair)
        try #require(first.status == 0, "\(first.stderr)")

        let server = try RunningKea(program: kea4, config: output, folder: folder, socketPath: socket,
                                    launcher: pair.launcher(in: pair.server))
        let script = try folder.write("udhcpc.sh", "#!/bin/sh\n[ \"$1\" = bound ] && echo \"bound $ip\"\nexit 0\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        // The config file holds no reservation: this address can only come from the host database.
        #expect(!(try String(contentsOfFile: output, encoding: .utf8)).contains("\"reservations\""))
        let reserved = try DHCPClientTests().udhcpc(busybox, in: pair, script: script)
        try #require(reserved.address == "192.0.2.10", "\(reserved.log)\nkea.log: \(keaLog(folder).suffix(1500))")

        let moved = try HostsSyncCommandTests.snapshot(in: folder, editing: HostsSyncCommandTests.moving("192.0.2.10", to: "192.0.2.77"))
        let second = try sync(database, data: moved, in: pair)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("+0 -0 ~1 hosts"), "\(second.stdout)")
        let again = try DHCPClientTests().udhcpc(busybox, in: pair, script: script)
        #expect(again.address == "192.0.2.77", "\(again.log)\nkea.log: \(keaLog(folder).suffix(1500))")

        let log = keaLog(folder)
        #expect(Self.reconfigurations(log, family: 4).configured == 1, "Kea read its configuration more than once")
        #expect(Self.reconfigurations(log, family: 4).reloads == 0, "Kea was reloaded")
        withExtendedLifetime(server) {}
    }

    @Test func kea6ServesTheSyncedReservationAndTheMovedOneWithoutAReload() throws {
        guard let found = Prerequisites.namespaceTools([("kea-dhcp6", "kea-dhcp6-server"), ("dhclient", "isc-dhcp-client")]) else { return }
        guard FileManager.default.fileExists(atPath: "/proc/sys/net/ipv6") else {
            Prerequisites.unavailable("IPv6 is disabled in this kernel")
            return
        }
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let (kea6, dhclient) = (found.tools[0], found.tools[1])
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        let pair = try NamespacePair(ip: found.ip, clientMAC: DHCPClientTests.web1, ipv6: true)
        let socket = folder.url.appendingPathComponent("kea6.sock").path
        let interface = pair.serverInterface
        // The demo's 2001:db8:1::/64 is NetBox prefix 21; the pool is where an unreserved client would land.
        let output = try folder.write("kea-dhcp6.conf", """
            { "Dhcp6": {
                "interfaces-config": { "interfaces": [ "\(interface)" ] },
                "server-id": { "type": "LLT", "persist": false },
                "control-socket": { "socket-type": "unix", "socket-name": "\(socket)" },
                "lease-database": { "type": "memfile", "persist": false },
                \(hostsDatabase(database)),
                "host-reservation-identifiers": [ "hw-address" ],
                "preferred-lifetime": 3000, "valid-lifetime": 4000,
                "subnet6": [ { "id": 21, "subnet": "2001:db8:1::/64", "interface": "\(interface)",
                               "pools": [ { "pool": "2001:db8:1::1000 - 2001:db8:1::1fff" } ] } ],
                "loggers": [ { "name": "kea-dhcp6", "output_options": [ { "output": "stdout" } ], "severity": "INFO" } ]
            } }
            """).path
        let first = try sync(database, data: demo, in: pair)
        try #require(first.status == 0, "\(first.stderr)")
        let server = try RunningKea(program: kea6, config: output, folder: folder, socketPath: socket,
                                    launcher: pair.launcher(in: pair.server))

        let reserved = try DHCPClientTests().dhclient6(dhclient, in: pair, folder: folder, run: 1)
        try #require(reserved.address == "2001:db8:1::10", "\(reserved.log)\nkea.log: \(keaLog(folder).suffix(1500))")

        let moved = try HostsSyncCommandTests.snapshot(in: folder, editing: HostsSyncCommandTests.moving("2001:db8:1::10", to: "2001:db8:1::77"))
        let second = try sync(database, data: moved, in: pair)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("+0 -0 ~1 hosts"), "\(second.stdout)")
        let again = try DHCPClientTests().dhclient6(dhclient, in: pair, folder: folder, run: 2)
        #expect(again.address == "2001:db8:1::77", "\(again.log)\nkea.log: \(keaLog(folder).suffix(1500))")

        let log = keaLog(folder)
        #expect(Self.reconfigurations(log, family: 6).configured == 1, "Kea read its configuration more than once")
        #expect(Self.reconfigurations(log, family: 6).reloads == 0, "Kea was reloaded")
        withExtendedLifetime(server) {}
    }
}
