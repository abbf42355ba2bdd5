import Foundation
import Testing
@testable import NetBox
@testable import PostgreSQL

/// A throwaway database in the test cluster started by scripts/test (KEA_NETBOX_TEST_PGHOST = its socket folder,
/// trust authentication, superuser `postgres`), loaded with one of the compact NetBox fixtures.
struct TestDatabase {
    enum Shape: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case netbox37 = "netbox-3.7.sql"
        case netbox4x = "netbox-4.x.sql"
        var testDescription: String { self == .netbox37 ? "NetBox 3.7" : "NetBox 4.2+" }
    }

    static let host = ProcessInfo.processInfo.environment["KEA_NETBOX_TEST_PGHOST"]
    static let requireAll = ProcessInfo.processInfo.environment["KEA_NETBOX_REQUIRE_ALL"] == "1"
    /// Run database tests when the cluster is there, or when everything is required (then they fail on #require).
    static let enabled = host != nil || requireAll
    static let skipReason: Comment = "KEA_NETBOX_TEST_PGHOST not set: run scripts/test to start a PostgreSQL test cluster"

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    let name: String
    let host: String

    var conninfo: String { "host='\(host)' dbname=\(name) user=postgres" }

    /// Creates the database, loads the shape's DDL and the shared helpers, runs `setup`, hands it to `body`, and
    /// drops it whatever happens.
    static func with<T>(_ shape: Shape?, setup: String = "", _ body: (TestDatabase) throws -> T) throws -> T {
        let host = try #require(TestDatabase.host, "KEA_NETBOX_TEST_PGHOST is required (KEA_NETBOX_REQUIRE_ALL=1)")
        let name = "nb_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try PostgresConnection(conninfo: "host='\(host)' dbname=postgres user=postgres")
        try admin.execute("CREATE DATABASE \(name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let database = TestDatabase(name: name, host: host)
        do {
            let connection = try PostgresConnection(conninfo: database.conninfo)
            if let shape {
                try connection.execute(String(contentsOf: fixtures.appendingPathComponent(shape.rawValue), encoding: .utf8))
                try connection.execute(String(contentsOf: fixtures.appendingPathComponent("helpers.sql"), encoding: .utf8))
            }
            if !setup.isEmpty { try connection.execute(setup) }
        }
        return try body(database)
    }

    /// Runs SQL as the superuser in this database.
    func execute(_ sql: String) throws {
        try PostgresConnection(conninfo: conninfo).execute(sql)
    }

    func read() throws -> (snapshot: Snapshot, warnings: [DataWarning]) {
        try PostgresReader(conninfo: conninfo).read()
    }
}
