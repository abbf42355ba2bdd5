import Foundation
import Testing

/// `kea-netbox hosts sync` end to end through the executable, into a database made by the real
/// `kea-admin db-init pgsql` on the test PostgreSQL: what it writes, what it leaves alone, what it refuses.
@Suite struct HostsSyncCommandTests {
    static let template = CommandRunner.repositoryRoot.appendingPathComponent("templates/kea-hosts.json.tmpl").path
    static let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path

    /// The demo snapshot after an edit of its reservations.
    static func snapshot(in folder: TemporaryFolder, _ name: String = "edited.json",
                         editing edit: (inout [[String: Any]]) throws -> Void) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo))) as? [String: Any] ?? [:]
        var reservations = object["reservations"] as? [[String: Any]] ?? []
        try edit(&reservations)
        object["reservations"] = reservations
        return try folder.write(name, String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)).path
    }

    static func moving(_ old: String, to new: String) -> (inout [[String: Any]]) throws -> Void {
        { reservations in
            let index = try #require(reservations.firstIndex { ($0["ip"] as? String) == old }, "no \(old) in the demo snapshot")
            reservations[index]["ip"] = new
        }
    }

    func sync(_ database: KeaHostTestDatabase, data: String = Self.demo, template: String = Self.template,
              _ extra: [String] = []) throws -> CommandResult {
        try CommandRunner.keaNetbox(["hosts", "sync", template, "--kea-database", database.conninfo, "--data", data] + extra)
    }

    @Test func aFirstSyncWritesEveryRenderedHostAndAnUnchangedOneWritesNothing() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)

        let first = try sync(database)
        #expect(first.status == 0, "\(first.stderr)")
        // The demo's 23 reservations less the deprecated one: 17 DHCPv4, 5 DHCPv6.
        #expect(first.stdout.contains("+22 -0 ~0 hosts (22 in total: 17 DHCPv4, 5 DHCPv6)"), "\(first.stdout)")
        // web1: 02:00:00:01:00:10 -> 192.0.2.10 (3221225994) in subnet 11, the NetBox prefix id.
        #expect(try database.query("""
            SELECT dhcp_identifier_type, dhcp4_subnet_id, ipv4_address, hostname FROM hosts
            WHERE dhcp_identifier = '\\x020000010010' AND dhcp4_subnet_id IS NOT NULL
            """) == "0|11|3221225994|web1.ams1.example.net")
        #expect(try database.query("""
            SELECT h.dhcp6_subnet_id, r.address, r.prefix_len, r.type FROM hosts h JOIN ipv6_reservations r USING (host_id)
            WHERE h.dhcp_identifier = '\\x020000010010'
            """) == "21|2001:db8:1::10|128|0")

        let before = try database.hostRows(withXmin: true)
        let sequence = try database.query("SELECT last_value FROM hosts_host_id_seq")
        let second = try sync(database)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("is up to date: 22 in total"), "\(second.stdout)")
        #expect(try database.hostRows(withXmin: true) == before, "an unchanged sync rewrote rows")
        #expect(try database.query("SELECT last_value FROM hosts_host_id_seq") == sequence)
    }

    @Test func aNetBoxChangeUpdatesThatOneHostInPlace() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        #expect(try sync(database).status == 0)
        let web1 = "SELECT host_id, ipv4_address FROM hosts WHERE dhcp_identifier = '\\x020000010010' AND dhcp4_subnet_id = 11"
        let id = try #require(try database.query(web1).split(separator: "|").first.map(String.init))
        let others = try database.hostRows(withXmin: true).split(separator: "\n").filter { !$0.hasPrefix("\(id)|") }

        let moved = try Self.snapshot(in: folder, editing: Self.moving("192.0.2.10", to: "192.0.2.77"))
        let second = try sync(database, data: moved)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("+0 -0 ~1 hosts"), "\(second.stdout)")
        // Same row, new address (192.0.2.77 = 3221226061); no other row rewritten.
        #expect(try database.query(web1) == "\(id)|3221226061")
        #expect(try database.hostRows(withXmin: true).split(separator: "\n").filter { !$0.hasPrefix("\(id)|") } == others)
    }

    @Test func hostsKeaNetboxDidNotCreateAreNeverTouched() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        // Written by hand or by another tool: no user_context, a JSON one, and one that is not JSON at all.
        try database.query("""
            INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, dhcp4_subnet_id, ipv4_address, hostname, user_context)
            VALUES ('\\x0200000000f1', 0, 11, 3221226150, 'printer', NULL),
                   ('\\x0200000000f2', 0, 11, 3221226151, 'scanner', '{"owner": "facilities"}'),
                   ('\\x0200000000f3', 0, 12, 3332006000, 'odd', 'not json');
            INSERT INTO dhcp4_options (code, formatted_value, space, host_id, scope_id)
            SELECT 3, '192.0.2.254', 'dhcp4', host_id, 3 FROM hosts WHERE hostname = 'printer';
            """)
        let foreign = "SELECT host_id, hostname, ipv4_address, user_context FROM hosts WHERE hostname IN ('printer', 'scanner', 'odd') ORDER BY host_id"
        let before = try database.query(foreign)
        let options = "SELECT code, formatted_value FROM dhcp4_options"

        #expect(try sync(database).status == 0)
        #expect(try database.query(foreign) == before)
        // NetBox empties out and the guard is overridden: every kea-netbox host goes, the others stay.
        let empty = try Self.snapshot(in: folder) { $0 = [] }
        let wipe = try sync(database, data: empty, ["--force"])
        #expect(wipe.status == 0, "\(wipe.stderr)")
        #expect(wipe.stdout.contains("+0 -22 ~0 hosts"), "\(wipe.stdout)")
        #expect(try database.query(foreign) == before)
        #expect(try database.query("SELECT count(*) FROM hosts") == "3")
        #expect(try database.query(options) == "3|192.0.2.254")
    }

    @Test func aReservationClashingWithAForeignHostIsRefusedAndNothingIsWritten() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        // Another tool reserved web1's MAC in web1's subnet, and web2's address for another MAC.
        try database.query("""
            INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, dhcp4_subnet_id, ipv4_address, hostname)
            VALUES ('\\x020000010010', 0, 11, 3221226150, 'imposter'), ('\\x0200000000f9', 0, 11, 3221225995, 'squatter')
            """)
        let result = try sync(database)
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("did not create"), "\(result.stderr)")
        #expect(result.stderr.contains("(identity) for DHCPv4 subnet 11 hw-address 02:00:00:01:00:10"), "\(result.stderr)")
        #expect(result.stderr.contains("(address 192.0.2.11) for DHCPv4 subnet 11 hw-address 02:00:00:01:00:11"), "\(result.stderr)")
        #expect(try database.query("SELECT count(*) FROM hosts") == "2")
    }

    @Test func anEmptyNetBoxIsRefusedByTheRemovalGuard() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        #expect(try sync(database).status == 0)
        let before = try database.hostRows(withXmin: true)

        let empty = try Self.snapshot(in: folder) { $0 = [] }
        let refused = try sync(database, data: empty)
        #expect(refused.status == 4, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("has no hosts created by kea-netbox but Kea's host database has 22; refusing to wipe them"),
                "\(refused.stderr)")
        // Most of NetBox gone is refused too, by the fraction.
        let most = try Self.snapshot(in: folder, "most.json") { $0 = Array($0.prefix(5)) }
        let fraction = try sync(database, data: most)
        #expect(fraction.status == 4, "\(fraction.stdout)\(fraction.stderr)")
        #expect(fraction.stderr.contains("more than --max-removed-fraction 0.5"), "\(fraction.stderr)")
        #expect(try database.hostRows(withXmin: true) == before)
    }

    @Test func aDryRunPrintsTheChangedHostsAndWritesNothing() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        #expect(try sync(database).status == 0)
        let before = try database.hostRows(withXmin: true)

        let moved = try Self.snapshot(in: folder, editing: Self.moving("192.0.2.10", to: "192.0.2.77"))
        let dry = try sync(database, data: moved, ["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let lines = dry.stdout.split(separator: "\n")
        #expect(lines.first { $0.hasPrefix("- ") }?.contains(#""hw-address":"02:00:00:01:00:10","ip-address":"192.0.2.10""#) == true, "\(dry.stdout)")
        #expect(lines.first { $0.hasPrefix("+ ") }?.contains(#""hw-address":"02:00:00:01:00:10","ip-address":"192.0.2.77""#) == true, "\(dry.stdout)")
        #expect(lines.count == 3, "\(dry.stdout)")
        #expect(dry.stdout.contains("dry run Kea host database (schema 13.0): would change +0 -0 ~1 hosts"), "\(dry.stdout)")
        #expect(try database.hostRows(withXmin: true) == before)
    }

    @Test func optionsClassesBootFieldsAndDelegatedPrefixesRoundTrip() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        let template = try folder.write("hosts.json.tmpl", """
            {
              "Dhcp4": {
                "subnet4": [ { "id": 7, "subnet": "192.0.2.0/24", "reservations": [
                  { "hw-address": "02:00:00:00:00:07", "ip-address": "192.0.2.7", "hostname": "pxe",
                    "client-classes": [ "pxe", "lab" ], "next-server": "192.0.2.2", "server-hostname": "tftp1",
                    "boot-file-name": "pxelinux.0",
                    "option-data": [ { "name": "routers", "data": "192.0.2.1" },
                                     { "name": "domain-name-servers", "data": "192.0.2.53,  198.51.100.53" },
                                     { "code": 224, "csv-format": false, "data": "01:02:0A", "always-send": true } ] }
                ] } ],
                "reservations": [ { "client-id": "01:02:00:00:00:00:08", "hostname": "roamer" } ]
              },
              "Dhcp6": {
                "subnet6": [ { "id": 8, "subnet": "2001:db8:1::/64", "reservations": [
                  { "duid": "00:03:00:01:02:00:00:00:00:07", "ip-addresses": [ "2001:db8:1::7" ],
                    "prefixes": [ "2001:db8:ff00::/56" ], "option-data": [ { "name": "dns-servers", "data": "2001:db8::53" } ],
                    "comment": "lab router" }
                ] } ]
              }
            }
            """)
        let first = try sync(database, template: template.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("+3 -0 ~0 hosts (3 in total: 2 DHCPv4, 1 DHCPv6)"), "\(first.stdout)")
        #expect(try database.query("""
            SELECT dhcp4_subnet_id, dhcp_identifier_type, dhcp4_client_classes, dhcp4_next_server, dhcp4_server_hostname,
                   dhcp4_boot_file_name FROM hosts WHERE hostname = 'pxe'
            """) == "7|0|pxe,lab|3221225986|tftp1|pxelinux.0")
        #expect(try database.query("SELECT dhcp4_subnet_id, dhcp_identifier_type FROM hosts WHERE hostname = 'roamer'") == "0|3")
        #expect(try database.query("""
            SELECT code, coalesce(formatted_value, ''), coalesce(encode(value, 'hex'), ''), space, persistent, scope_id
            FROM dhcp4_options ORDER BY option_id
            """) == "3|192.0.2.1||dhcp4|f|3\n6|192.0.2.53,198.51.100.53||dhcp4|f|3\n224||01020a|dhcp4|t|3")
        #expect(try database.query("SELECT address, prefix_len, type FROM ipv6_reservations ORDER BY type")
                == "2001:db8:1::7|128|0\n2001:db8:ff00::|56|2")
        #expect(try database.query("SELECT code, formatted_value FROM dhcp6_options") == "23|2001:db8::53")
        #expect(try database.query("SELECT user_context FROM hosts WHERE dhcp6_subnet_id = 8")
                == #"{"kea-netbox":"managed","comment":"lab router"}"#)

        // Read back, every field equals what was rendered: nothing to write.
        let second = try sync(database, template: template.path)
        #expect(second.stdout.contains("is up to date: 3 in total"), "\(second.stdout)\(second.stderr)")
    }

    @Test func aDatabaseWithoutKeasSchemaIsRefusedNamingKeaAdmin() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let empty = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin, keaSchema: false)
        let missing = try sync(empty)
        #expect(missing.status == 1, "\(missing.stdout)\(missing.stderr)")
        #expect(missing.stderr.contains("no Kea schema (no schema_version table): create it with `kea-admin db-init pgsql"), "\(missing.stderr)")

        let old = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        try old.query("UPDATE schema_version SET version = 12, minor = 0")
        let tooOld = try sync(old)
        #expect(tooOld.status == 1)
        #expect(tooOld.stderr.contains("schema is version 12.0, older than Kea 2.2's (13.0): upgrade it with `kea-admin db-upgrade pgsql`"),
                "\(tooOld.stderr)")
        try old.query("UPDATE schema_version SET version = 35, minor = 0")
        let tooNew = try sync(old)
        #expect(tooNew.status == 1)
        #expect(tooNew.stderr.contains("version 35.0, newer than the versions kea-netbox knows"), "\(tooNew.stderr)")
        #expect(try old.query("SELECT count(*) FROM hosts") == "0")
    }

    /// Debian 12 has only Kea 2.2's kea-admin (schema 13.0). The two changes of later schemas that host rows feel
    /// are made here by hand, as Kea's upgrade scripts make them: 17 -> 18 turns ipv6_reservations.address into
    /// INET, 24 -> 25 adds client_classes to the option tables and 28 -> 29 makes it NOT NULL (Kea 3.0's 29.0).
    @Test func theLayoutOfKea30sSchemaIsWrittenAndReadBack() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        try database.query("""
            ALTER TABLE ipv6_reservations ALTER COLUMN address TYPE INET USING address::INET;
            ALTER TABLE dhcp4_options ADD COLUMN client_classes TEXT NOT NULL;
            ALTER TABLE dhcp6_options ADD COLUMN client_classes TEXT NOT NULL;
            UPDATE schema_version SET version = 29, minor = 0;
            """)
        let template = try folder.write("hosts.json.tmpl", """
            { "Dhcp4": { "subnet4": [ { "id": 7, "subnet": "192.0.2.0/24", "reservations": [
                { "hw-address": "02:00:00:00:00:07", "ip-address": "192.0.2.7",
                  "option-data": [ { "name": "routers", "data": "192.0.2.1" } ] } ] } ] },
              "Dhcp6": { "subnet6": [ { "id": 8, "subnet": "2001:db8:1::/64", "reservations": [
                { "hw-address": "02:00:00:00:00:07", "ip-addresses": [ "2001:db8:1::7" ], "prefixes": [ "2001:db8:ff00::/56" ],
                  "option-data": [ { "name": "dns-servers", "data": "2001:db8::53" } ] } ] } ] } }
            """)
        let first = try sync(database, template: template.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("synced Kea host database (schema 29.0): +2 -0 ~0 hosts"), "\(first.stdout)")
        #expect(try database.query("SELECT host(address), prefix_len, type FROM ipv6_reservations ORDER BY type")
                == "2001:db8:1::7|128|0\n2001:db8:ff00::|56|2")
        #expect(try database.query("SELECT code, client_classes FROM dhcp4_options UNION ALL SELECT code, client_classes FROM dhcp6_options")
                == "3|[  ]\n23|[  ]")
        let second = try sync(database, template: template.path)
        #expect(second.stdout.contains("is up to date: 2 in total"), "\(second.stdout)\(second.stderr)")
    }

    /// Another sync (here a psql session holding the same advisory lock) makes a second one wait, then give up
    /// naming the lock, with nothing written.
    @Test func aSecondSyncWaitsForTheLockThenGivesUp() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let holder = Process()
        holder.executableURL = TestCluster.psqlProgram
        holder.arguments = ["-X", "-q", "-h", host, "-U", "postgres", "-d", database.name, "-c",
                            "SELECT pg_advisory_lock(7738698524294019121), pg_sleep(30)"]
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        defer {
            // SIGKILL: Foundation's Process may hand the child a blocked signal mask (see RunningKea). The server
            // side of the session goes with the database (DROP DATABASE … WITH (FORCE)).
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while try database.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") == "0" {
            try #require(ContinuousClock.now < deadline, "psql did not take the advisory lock")
            usleep(50_000)
        }
        let result = try sync(database, ["--lock-timeout", "1"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("another kea-netbox hosts sync holds the lock on this host database; gave up after 1.0 seconds"),
                "\(result.stderr)")
        #expect(try database.query("SELECT count(*) FROM hosts") == "0")
    }

    @Test func theJSONSummaryAndTheMetricsFileCarryTheSyncsFacts() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        let metrics = folder.url.appendingPathComponent("kea-netbox-hosts.prom").path
        let first = try sync(database, ["--summary", "json", "--metrics-file", metrics])
        #expect(first.status == 0, "\(first.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any], "\(first.stdout)")
        #expect(json["status"] as? String == "synced")
        #expect(json["output"] as? String == "kea-host-database")
        #expect((json["reservations"] as? [String: Any])?["total"] as? Int == 22)
        #expect((json["reservations"] as? [String: Any])?["added"] as? Int == 22)
        #expect(!first.stdout.contains(database.conninfo))
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.contains("kea_netbox_reservations{output=\"kea-host-database\"} 22"), "\(text)")
        #expect(text.contains("kea_netbox_last_run_success{output=\"kea-host-database\"} 1"), "\(text)")

        let empty = try Self.snapshot(in: folder) { $0 = [] }
        let refused = try sync(database, data: empty, ["--summary", "json", "--metrics-file", metrics])
        #expect(refused.status == 4)
        let failed = try #require(try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any], "\(refused.stdout)")
        #expect(failed["status"] as? String == "failed")
        #expect(failed["exit_code"] as? Int == 4)
        let after = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(after.contains("kea_netbox_last_run_success{output=\"kea-host-database\"} 0"), "\(after)")
        // The hosts are still there: the last success's count is kept.
        #expect(after.contains("kea_netbox_reservations{output=\"kea-host-database\"} 22"), "\(after)")
    }

    @Test func subnetIdsAreCheckedAgainstTheKeaConfig() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        // The running config numbers 192.0.2.0/24 as 11 but has no subnet 12 and 13 (198.51.100.0/24, 203.0.113.0/24).
        let config = try folder.write("kea-dhcp4.conf", """
            { "Dhcp4": { "subnet4": [ { "id": 11, "subnet": "192.0.2.0/24" }, { "id": 12, "subnet": "192.0.2.128/25" } ] } }
            """)
        let result = try sync(database, ["--config", config.path])
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("Dhcp4.subnet4[1]: subnet id 12 is 192.0.2.128/25 in \(config.path), not 198.51.100.0/24"),
                "\(result.stderr)")
        #expect(result.stderr.contains("Dhcp4.subnet4[2]: subnet id 13 is not a subnet of \(config.path)"), "\(result.stderr)")
        #expect(try database.query("SELECT count(*) FROM hosts") == "0")
    }

    @Test func duplicateReservationsAreRefusedWithTheirLocation() throws {
        guard let (host, keaAdmin) = KeaHostTestDatabase.prerequisites() else { return }
        let database = try KeaHostTestDatabase(host: host, keaAdmin: keaAdmin)
        let folder = try TemporaryFolder()
        let template = try folder.write("hosts.json.tmpl", """
            { "Dhcp4": { "subnet4": [ { "id": 7, "subnet": "192.0.2.0/24", "reservations": [
              { "hw-address": "02:00:00:00:00:07", "ip-address": "192.0.2.7" },
              { "hw-address": "2:0:0:0:0:7", "ip-address": "192.0.2.8" },
              { "hw-address": "02:00:00:00:00:09", "ip-address": "198.51.100.9" } ] } ] } }
            """)
        let result = try sync(database, template: template.path)
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("hosts.json.tmpl:3:"), "\(result.stderr)")
        #expect(result.stderr.contains("duplicate hw-address 02:00:00:00:00:07 in subnet 192.0.2.0/24"), "\(result.stderr)")
        #expect(result.stderr.contains("reserved address 198.51.100.9 is outside its subnet 192.0.2.0/24"), "\(result.stderr)")
        #expect(try database.query("SELECT count(*) FROM hosts") == "0")
    }

    @Test func thePasswordNeverAppearsInAnError() throws {
        guard let (host, _) = KeaHostTestDatabase.prerequisites() else { return }
        let result = try CommandRunner.keaNetbox(["hosts", "sync", Self.template, "--data", Self.demo, "--kea-database",
                                                  "host=\(host) dbname=no_such_kea_db user=postgres password=hunter2-secret"])
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("cannot connect to Kea's host database"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2-secret") && !result.stdout.contains("hunter2-secret"))
    }
}
