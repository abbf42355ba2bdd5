import Foundation
import Testing

/// A NetBox custom field nested 513 deep (1 KB of brackets) crashed every run with SIGILL and no message, whether it
/// came from a snapshot or from the database. Both must now end with exit 3 naming where it is, and leave the
/// installed file alone.
@Suite struct DeepNestingTests {
    static let deep = String(repeating: "[", count: 511) + #"{"a":[]}"# + String(repeating: "]", count: 511)

    @Test func aTooDeepCustomFieldInASnapshotExitsThreeWithItsPosition() throws {
        let folder = try TemporaryFolder()
        let snapshot = try folder.write("snapshot.json", """
            {"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"}, "ip_ranges": [], "reservations": [],
             "prefixes": [{"id": 1, "prefix": "192.0.2.0/24", "family": 4, "status": "active", "custom_fields": {"x": \(Self.deep)}}]}
            """)
        let output = try folder.write("kea.conf", "previous\n")
        let result = try CommandRunner.keaNetbox(["install", "templates/kea-dhcp4.conf.tmpl", "--data", snapshot.path,
                                                  "--output", output.path, "--check", "none", "--reload", "none"])
        #expect(result.status == 3, "\(result.stderr)")
        // Line 2; the field's value opens at column 107 and its 509th bracket is the 513th level.
        #expect(result.stderr.contains("\(snapshot.path):2:615: error: bad snapshot: invalid JSON: nesting deeper than 512 levels"),
                "\(result.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous\n")
    }

    @Test func aTooDeepCustomFieldInTheDatabaseExitsThreeNamingThePrefix() throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: .netbox4x, data: "demo-data.sql")
        try database.execute("UPDATE ipam_prefix SET custom_field_data = '{\"x\": \(Self.deep)}'::jsonb WHERE prefix = '192.0.2.0/24'")
        let folder = try TemporaryFolder()
        let output = try folder.write("kea.conf", "previous\n")
        let result = try CommandRunner.keaNetbox(["install", "templates/kea-dhcp4.conf.tmpl", "--database", database.conninfo,
                                                  "--output", output.path, "--check", "none", "--reload", "none"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("cannot read prefixes: prefix 192.0.2.0/24 (id "), "\(result.stderr)")
        #expect(result.stderr.contains("custom_field_data at line 1, column "), "\(result.stderr)")
        #expect(result.stderr.contains("nesting deeper than 512 levels"), "\(result.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous\n")
    }
}
