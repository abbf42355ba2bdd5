import Foundation
import Testing

/// A database in the PostgreSQL test cluster of scripts/test (KEA_NETBOX_TEST_PGHOST: its socket folder; trust
/// authentication; superuser `postgres`), created with psql and loaded with the NetBox fixtures shared with
/// NetBoxTests. Dropped when the value goes away.
final class TestCluster {
    enum Shape: String, CaseIterable, Sendable {
        case netbox37 = "netbox-3.7.sql"
        case netbox4x = "netbox-4.x.sql"
    }

    static var host: String? { ProcessInfo.processInfo.environment["KEA_NETBOX_TEST_PGHOST"] }

    /// The cluster's socket folder, or nil (with a note, or a failure under KEA_NETBOX_REQUIRE_ALL=1).
    static func available() -> String? {
        if let host { return host }
        if Prerequisites.requireAll {
            Issue.record("KEA_NETBOX_TEST_PGHOST is not set but KEA_NETBOX_REQUIRE_ALL=1: run the tests with scripts/test")
        } else {
            print("note: skipping: no PostgreSQL test cluster (run the tests with scripts/test)")
        }
        return nil
    }

    let host: String
    let name: String
    var conninfo: String { "host=\(host) dbname=\(name) user=postgres" }

    init(host: String, shape: Shape, data: String...) throws {
        self.host = host
        name = "e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try psql(database: "postgres", "CREATE DATABASE \(name)")
        let netboxFixtures = CommandRunner.repositoryRoot.appendingPathComponent("Tests/NetBoxTests/Fixtures")
        let ownFixtures = CommandRunner.repositoryRoot.appendingPathComponent("Tests/KeaNetboxTests/Fixtures")
        try psqlFile(netboxFixtures.appendingPathComponent(shape.rawValue))
        try psqlFile(netboxFixtures.appendingPathComponent("helpers.sql"))
        for file in data { try psqlFile(ownFixtures.appendingPathComponent(file)) }
    }

    deinit {
        _ = try? psql(database: "postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    func execute(_ sql: String) throws {
        try psql(database: name, sql)
    }

    private func psqlFile(_ file: URL) throws {
        let result = try CommandRunner.run(Self.psqlProgram, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host,
                                                              "-U", "postgres", "-d", name, "-f", file.path])
        guard result.status == 0 else { throw TestClusterError(message: "\(file.lastPathComponent): \(result.stderr)") }
    }

    private func psql(database: String, _ sql: String) throws {
        let result = try CommandRunner.run(Self.psqlProgram, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host,
                                                              "-U", "postgres", "-d", database, "-c", sql])
        guard result.status == 0 else { throw TestClusterError(message: result.stderr) }
    }

    static let psqlProgram = URL(fileURLWithPath: "/usr/bin/psql")
}

struct TestClusterError: Error, CustomStringConvertible {
    let message: String
    var description: String { "psql: \(message)" }
}
