import Foundation
import Testing

/// A throwaway database in the PostgreSQL test cluster with Kea's own schema, made the way an operator makes it:
/// `kea-admin db-init pgsql` (Debian's kea-admin, schema 13.0 for Kea 2.2). Dropped when the value goes away.
final class KeaHostTestDatabase {
    let host: String
    let name: String
    var conninfo: String { "host=\(host) dbname=\(name) user=postgres" }

    /// The cluster and kea-admin, or nil (a note, or a failure under KEA_NETBOX_REQUIRE_ALL=1).
    static func prerequisites() -> (host: String, keaAdmin: URL)? {
        guard let host = TestCluster.available() else { return nil }
        guard let keaAdmin = Prerequisites.available("kea-admin") else { return nil }
        return (host, keaAdmin)
    }

    /// `keaSchema: false` leaves the database empty, as before `kea-admin db-init`.
    init(host: String, keaAdmin: URL, keaSchema: Bool = true) throws {
        self.host = host
        name = "keahosts_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try Self.psql(host: host, database: "postgres", "CREATE DATABASE \(name)")
        guard keaSchema else { return }
        let result = try CommandRunner.run(keaAdmin, ["db-init", "pgsql", "-h", host, "-u", "postgres", "-n", name])
        guard result.status == 0 else { throw TestClusterError(message: "kea-admin db-init: \(result.stdout)\(result.stderr)") }
    }

    deinit {
        _ = try? Self.psql(host: host, database: "postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs SQL; the rows come back unaligned, `|`-separated, one per line.
    @discardableResult
    func query(_ sql: String) throws -> String {
        try Self.psql(host: host, database: name, sql)
    }

    /// `hosts` as text (one line per host, ordered by host_id), for before/after comparisons. `xmin` changes with
    /// every write of a row, so equal snapshots mean the rows were not even rewritten.
    func hostRows(withXmin: Bool = false) throws -> String {
        try query("""
            SELECT host_id, \(withXmin ? "xmin," : "") encode(dhcp_identifier, 'hex'), dhcp_identifier_type, dhcp4_subnet_id,
                   dhcp6_subnet_id, ipv4_address, hostname, user_context
            FROM hosts ORDER BY host_id
            """)
    }

    private static func psql(host: String, database: String, _ sql: String) throws -> String {
        let result = try CommandRunner.run(TestCluster.psqlProgram, ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", host,
                                                                    "-U", "postgres", "-d", database, "-c", sql])
        guard result.status == 0 else { throw TestClusterError(message: result.stderr) }
        return result.stdout.trimmingCharacters(in: .newlines)
    }
}
