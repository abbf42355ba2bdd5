import Foundation
import Testing
@testable import PostgreSQL

/// `PostgresConnection.stream`: rows one at a time (libpq's single-row mode), on the real test PostgreSQL.
@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipReason))
struct RowStreamTests {
    private func rows(_ stream: RowStream) throws -> [[String?]] {
        var all: [[String?]] = []
        while let row = try stream.next() { all.append(row.values) }
        return all
    }

    @Test func streamedRowsAreTheRowsOfTheWholeResult() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            let sql = "SELECT g AS n, CASE WHEN g % 3 = 0 THEN NULL ELSE 'row ' || g END AS label FROM generate_series(1, 2500) g ORDER BY g"
            let stream = try connection.stream(sql)
            #expect(stream.columns == ["n", "label"])
            let streamed = try rows(stream)
            #expect(streamed.count == 2500)
            #expect(streamed[2] == ["3", nil])
            #expect(streamed == (try connection.execute(sql)).rows.map(\.values))
        }
    }

    @Test func aQueryWithoutRowsStillNamesItsColumns() throws {
        try TestDatabase.with(nil) { database in
            let stream = try PostgresConnection(conninfo: database.conninfo).stream("SELECT 1 AS one, 'x' AS two WHERE false")
            #expect(stream.columns == ["one", "two"])
            #expect(try stream.next() == nil)
            #expect(try stream.next() == nil)
        }
    }

    @Test func anErrorPartWayComesAfterTheRowsBeforeItAndTheConnectionStaysUsable() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            // Division by zero at the 5th row: the server has sent rows before it fails.
            let stream = try connection.stream("SELECT 10 / (5 - g) AS q FROM generate_series(1, 10) g")
            var seen: [String?] = []
            let error = #expect(throws: PostgresError.self) {
                while let row = try stream.next() { seen.append(row.values[0]) }
            }
            #expect(error?.sqlState == "22012")
            #expect(seen == ["2", "3", "5", "10"])
            #expect(try stream.next() == nil)
            #expect(try connection.execute("SELECT 'still here' AS s").rows.first?.values == ["still here"])
        }
    }

    @Test func aStreamGivenUpEarlyLeavesTheConnectionUsable() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            do {
                let stream = try connection.stream("SELECT g FROM generate_series(1, 50000) g")
                #expect(try stream.next()?.values == ["1"])
            }
            #expect(try connection.execute("SELECT 2 AS two").rows.first?.values == ["2"])
        }
    }

    @Test func aBadQueryFailsWhenTheStreamIsMade() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            let error = #expect(throws: PostgresError.self) { try connection.stream("SELECT nothing FROM nowhere") }
            #expect(error?.sqlState == "42P01")
            #expect(try connection.execute("SELECT 3 AS three").rows.first?.values == ["3"])
        }
    }
}
