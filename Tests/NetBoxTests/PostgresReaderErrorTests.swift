import Foundation
import Testing
@testable import NetBox
@testable import PostgreSQL

private func readError(_ reader: PostgresReader) -> DataSourceError? {
    do {
        _ = try reader.read()
        return nil
    } catch {
        return error
    }
}

/// examples/netbox-readonly.sql with the role renamed, so parallel tests do not share a cluster-wide role.
private func readOnlyGrantScript(role: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/netbox-readonly.sql")
    return try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "kea_netbox", with: role)
}

private func withRole<T>(_ body: (String) throws -> T) throws -> T {
    let host = try #require(TestDatabase.host, "KEA_NETBOX_TEST_PGHOST is required (KEA_NETBOX_REQUIRE_ALL=1)")
    let role = "kn_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
    defer { _ = try? PostgresConnection(conninfo: "host='\(host)' dbname=postgres user=postgres").execute("DROP ROLE IF EXISTS \(role)") }
    return try body(role)
}

@Suite struct PostgresReaderConnectionErrorTests {
    @Test func unreachableServerIsAConnectionErrorWithoutThePassword() throws {
        let reader = PostgresReader(conninfo: "host=/nonexistent/kea-netbox port=5999 user=kea dbname=netbox password=Sup3rSecret!pw")
        let error = try #require(readError(reader))
        #expect(error.reason == .connection)
        #expect(error.message.hasPrefix("cannot connect to the NetBox database: connection to server on socket"))
        #expect(error.message.contains("/nonexistent/kea-netbox/.s.PGSQL.5999"))
        #expect(!error.message.contains("Sup3rSecret!pw"))
    }

    @Test func unreachableServerGivenAsURIHidesThePasswordToo() throws {
        let reader = PostgresReader(conninfo: "postgresql://kea:Sup3rSecret%21pw@127.0.0.1:1/netbox?connect_timeout=3")
        let error = try #require(readError(reader))
        #expect(error.reason == .connection)
        #expect(error.message.contains("127.0.0.1"))
        #expect(!error.message.contains("Sup3rSecret"))
    }

    @Test func malformedConninfoIsReportedWithoutEchoingIt() throws {
        let error = try #require(readError(PostgresReader(conninfo: "host=db password=Sup3rSecret!pw bogus_option=1")))
        #expect(error.reason == .connection)
        #expect(error.message.contains("invalid connection option \"bogus_option\""))
        #expect(!error.message.contains("Sup3rSecret"))
    }

    @Test func describingAReaderNeverShowsTheConninfo() {
        let reader = PostgresReader(conninfo: "host=db password=Sup3rSecret!pw", statementTimeout: .seconds(5))
        var dumped = ""
        dump(reader, to: &dumped)
        #expect("\(reader)" == "PostgresReader(statementTimeout: 5.0 seconds)")
        #expect(!dumped.contains("Sup3rSecret"))
        #expect(!String(reflecting: reader).contains("Sup3rSecret"))
    }

    @Test func redactionRemovesAPasswordEvenIfLibpqEverEchoedIt() {
        let error = PostgresError(message: "FATAL: bad password \"hunter22\"", sqlState: "28P01", detail: "was hunter22",
                                  hint: nil).redacting(["hunter22"])
        #expect(error.message == "FATAL: bad password \"********\"")
        #expect(error.detail == "was ********")
    }
}

@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipReason))
struct PostgresReaderDatabaseErrorTests {
    @Test func aDatabaseWithoutNetBoxTablesIsASchemaError() throws {
        let error = try TestDatabase.with(nil) { db in readError(PostgresReader(conninfo: db.conninfo)) }
        let found = try #require(error)
        #expect(found.reason == .schema)
        #expect(found.message.hasPrefix("tables django_content_type, dcim_device, dcim_interface"))
        #expect(found.message.contains("is this the NetBox database (NetBox 3.0 or later)"))
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func theExampleReadOnlyGrantIsEnough(shape: TestDatabase.Shape) throws {
        try withRole { role in
            let setup = try readOnlyGrantScript(role: role) + """
                SELECT fx_primary(fx_ip('192.0.2.10/24', fx_interface(fx_device('srv1'), 'eth0', '02:00:00:00:00:01')));
                """
            let snapshot = try TestDatabase.with(shape, setup: setup) { db in
                try PostgresReader(conninfo: "host='\(db.host)' dbname=\(db.name) user=\(role)").read().snapshot
            }
            #expect(snapshot.reservations.map(\.name) == ["srv1"])
        }
    }

    @Test func aMissingGrantNamesTheTableAndTheGrantToRun() throws {
        try withRole { role in
            let setup = try readOnlyGrantScript(role: role) + "REVOKE SELECT ON ipam_prefix, extras_tag FROM \(role);"
            let error = try TestDatabase.with(.netbox4x, setup: setup) { db in
                readError(PostgresReader(conninfo: "host='\(db.host)' dbname=\(db.name) user=\(role)"))
            }
            let found = try #require(error)
            #expect(found.reason == .permission)
            #expect(found.message == """
                permission denied: role \(role) cannot SELECT from extras_tag, ipam_prefix; as the table owner or a \
                superuser run: GRANT SELECT ON extras_tag, ipam_prefix TO \(role);
                """)
        }
    }

    @Test func aLockedTableRunsIntoTheStatementTimeout() throws {
        let error = try TestDatabase.with(.netbox4x) { db in
            let locker = try PostgresConnection(conninfo: db.conninfo)
            try locker.execute("BEGIN; LOCK TABLE ipam_prefix IN ACCESS EXCLUSIVE MODE;")
            return readError(PostgresReader(conninfo: db.conninfo, statementTimeout: .milliseconds(300)))
        }
        let found = try #require(error)
        #expect(found.reason == .timeout)
        #expect(found.message.contains("statement timeout (0.3 seconds)"))
    }
}
