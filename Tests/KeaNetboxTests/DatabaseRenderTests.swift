import Foundation
import Testing

/// `--database`: rendering from a live NetBox database and from its snapshot gives the same bytes, for both
/// schema generations, and the result passes the real Kea check.
@Suite struct DatabaseRenderTests {
    @Test(arguments: TestCluster.Shape.allCases)
    func renderFromTheDatabaseEqualsRenderFromItsSnapshot(shape: TestCluster.Shape) throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: shape, data: "demo-data.sql")
        let folder = try TemporaryFolder()
        let snapshotFile = folder.url.appendingPathComponent("snapshot.json").path

        let snapshot = try CommandRunner.keaNetbox(["snapshot", "--database", database.conninfo, "--output", snapshotFile])
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        for template in ["templates/kea-dhcp4.conf.tmpl", "templates/kea-dhcp6.conf.tmpl"] {
            let live = try CommandRunner.keaNetbox(["render", template, "--database", database.conninfo])
            let offline = try CommandRunner.keaNetbox(["render", template, "--data", snapshotFile])
            #expect(live.status == 0, "\(live.stderr)")
            #expect(live.stdout == offline.stdout)
            #expect(!live.stdout.isEmpty)
        }
        let v4 = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--database", database.conninfo])
        #expect(v4.stdout.contains(#"{ "hw-address": "02:00:00:02:00:60", "ip-address": "198.51.100.60", "hostname": "ci-runner-1.fra1.example.net" }"#))
        #expect(v4.stdout.contains(#""hostname": "nas1""#))
        #expect(v4.stdout.contains(#""hostname": "evil\", \"boot-file-name\": \"x\n{{ netbox }} café""#))
        #expect(!v4.stdout.contains("192.0.2.41"), "a deprecated IP is no reservation")
        #expect(!v4.stdout.contains("203.0.113.10"), "a non-primary IP is no reservation")
        #expect(v4.stdout.contains(#""ip-address": "203.0.113.30""#), "the VRF prefix selects its VRF's reservations")
        let v6 = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp6.conf.tmpl", "--database", database.conninfo])
        #expect(v6.stdout.contains(#""ip-addresses": [ "2001:db8:2::30" ]"#))
        try KeaCheck.expectAccepts(v4.stdout, program: "kea-dhcp4")
        try KeaCheck.expectAccepts(v6.stdout, program: "kea-dhcp6")
    }

    @Test func withoutDatabaseLibpqsEnvironmentChoosesTheDatabase() throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: .netbox4x, data: "demo-data.sql")
        let viaEnvironment = try CommandRunner.keaNetbox(
            ["render", "templates/kea-dhcp4.conf.tmpl"],
            environment: ["PGHOST": host, "PGDATABASE": database.name, "PGUSER": "postgres"])
        let viaArgument = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--database", database.conninfo])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        #expect(viaEnvironment.stdout == viaArgument.stdout)
        let uri = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--database",
                                               "postgresql://postgres@/\(database.name)?host=\(host)"])
        #expect(uri.status == 0, "\(uri.stderr)")
        #expect(uri.stdout == viaArgument.stdout)
    }

    @Test func badNetBoxDataIsReportedEvenWhenTheRenderThenFails() throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: .netbox4x, data: "demo-data.sql")
        try database.execute("""
            SELECT fx_primary(fx_ip('192.0.2.99/24', fx_interface(fx_device('web1-clone', 'ams1'), 'eth0', '02:00:00:01:00:10')))
            """)
        let folder = try TemporaryFolder()
        let template = try folder.write("t.tmpl", "{ \"a\": {{ nosuch }} }\n")
        let result = try CommandRunner.keaNetbox(["render", template.path, "--database", database.conninfo])
        #expect(result.status == 2)
        #expect(result.stderr.contains("warning: NetBox data: MAC 02:00:00:01:00:10 appears twice in subnet 192.0.2.0/24"), "\(result.stderr)")
        let install = try CommandRunner.keaNetbox(["install", template.path, "--database", database.conninfo,
                                                   "--output", folder.url.appendingPathComponent("kea.conf").path])
        #expect(install.status == 2)
        #expect(install.stderr.contains("web1-clone"), "\(install.stderr)")
    }

    @Test func anUnreachableDatabaseExitsThreeWithoutThePassword() throws {
        let folder = try TemporaryFolder()
        let output = try folder.write("kea.conf", "previous\n")
        let conninfo = "host=\(folder.url.path) port=1 dbname=netbox user=reader password=s3cr3t-Pa55 connect_timeout=2"
        let result = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--database", conninfo,
                                                  "--output", output.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("NetBox database"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr3t"), "\(result.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous\n")
    }
}
