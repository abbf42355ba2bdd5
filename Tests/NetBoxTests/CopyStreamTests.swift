import Foundation
import Testing
@testable import PostgreSQL

/// `PostgresConnection.copy`: a SELECT's rows through `COPY … TO STDOUT` (text format), on the real test PostgreSQL.
/// The reference is the same SELECT run as a plain query: whatever the server's COPY escaping does, the rows must
/// come out as libpq's result gives them.
@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipReason))
struct CopyStreamTests {
    private func rows(_ stream: CopyStream) throws -> [[String?]] {
        var all: [[String?]] = []
        while let row = try stream.next() { all.append(row.values) }
        return all
    }

    /// Every character the COPY text format escapes, every other control character, backslashes where escapes
    /// could be misread, the text `\N` against SQL NULL, empty strings and non-ASCII NetBox values.
    @Test func everyValueArrivesAsThePlainQueryGivesIt() throws {
        let sql = """
            SELECT n, v FROM (VALUES
                (1, E'tab\\there'), (2, E'new\\nline'), (3, E'carriage\\rreturn'), (4, E'back\\\\slash'),
                (5, E'\\\\N'), (6, NULL), (7, ''), (8, E'\\b\\f\\x0b\\x01\\x1f\\x7f'), (9, E'ends in \\\\'),
                (10, E'\\\\t is not a tab'), (11, 'Zürich ☃ 東京 🙂'), (12, E'evil", "boot-file-name": "x\\n{{ r.mac }}'),
                (13, E'\\t'), (14, E'\\\\\\\\'), (15, E'\\\\x41 \\\\101 \\\\q'), (16, E'two\\t\\ttabs\\n\\n')
            ) AS t(n, v) ORDER BY n
            """
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            let expected = try connection.execute(sql).rows.map(\.values)
            let copied = try rows(connection.copy(sql, columns: ["n", "v"]))
            #expect(copied == expected)
            #expect(copied.count == 16)
            #expect(copied[4] == ["5", "\\N"])
            #expect(copied[5] == ["6", nil])
            #expect(copied[6] == ["7", ""])
            #expect(copied[10] == ["11", "Zürich ☃ 東京 🙂"])
        }
    }

    @Test func everyByteFromOneTo127RoundTrips() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            let sql = "SELECT g, chr(g) || 'x' || chr(g), NULL::text, '' FROM generate_series(1, 127) g ORDER BY g"
            let copied = try rows(connection.copy(sql, columns: ["g", "c", "n", "e"]))
            #expect(copied.count == 127)
            #expect(copied == (try connection.execute(sql)).rows.map(\.values))
            #expect(copied[8] == ["9", "\tx\t", nil, ""])
            #expect(copied[91] == ["92", "\\x\\", nil, ""])
        }
    }

    @Test func columnsAreReadByTheNamesGiven() throws {
        try TestDatabase.with(nil) { database in
            let stream = try PostgresConnection(conninfo: database.conninfo)
                .copy("SELECT 42 AS answer, 'text' AS label, NULL::int AS nothing", columns: ["answer", "label", "nothing"])
            let row = try #require(try stream.next())
            #expect(try row.requiredInt(Column("answer", in: stream.columns)) == 42)
            #expect(try row.string("label") == "text")
            #expect(try row.int("nothing") == nil)
            #expect(try stream.next() == nil)
        }
    }

    @Test func aColumnListOfAnotherLengthFailsAndLeavesTheConnectionUsable() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            let error = #expect(throws: PostgresError.self) {
                try connection.copy("SELECT 1 AS a, 2 AS b", columns: ["a"])
            }
            #expect(error?.message == "the query sends 2 columns where 1 were named")
            #expect(try connection.execute("SELECT 'still here' AS s").rows.first?.values == ["still here"])
        }
    }

    @Test func aQueryWithoutRowsEndsAtOnce() throws {
        try TestDatabase.with(nil) { database in
            let stream = try PostgresConnection(conninfo: database.conninfo)
                .copy("SELECT 1 AS one WHERE false", columns: ["one"])
            #expect(try stream.next() == nil)
            #expect(try stream.next() == nil)
        }
    }

    @Test func anErrorPartWayComesAfterTheRowsBeforeItAndTheConnectionStaysUsable() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            // Division by zero at the 5th row: the server has sent rows before it fails.
            let stream = try connection.copy("SELECT 10 / (5 - g) AS q FROM generate_series(1, 10) g", columns: ["q"])
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
                let stream = try connection.copy("SELECT g FROM generate_series(1, 50000) g", columns: ["g"])
                #expect(try stream.next()?.values == ["1"])
            }
            #expect(try connection.execute("SELECT 2 AS two").rows.first?.values == ["2"])
        }
    }

    @Test func aBadQueryFailsWhenTheStreamIsMade() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            let error = #expect(throws: PostgresError.self) {
                try connection.copy("SELECT nothing FROM nowhere", columns: ["nothing"])
            }
            #expect(error?.sqlState == "42P01")
            #expect(try connection.execute("SELECT 3 AS three").rows.first?.values == ["3"])
        }
    }

    @Test func theStatementTimeoutStopsACopyPartWay() throws {
        try TestDatabase.with(nil) { database in
            let connection = try PostgresConnection(conninfo: database.conninfo)
            try connection.execute("SET statement_timeout = 200")
            let stream = try connection.copy("SELECT g, pg_sleep(0.05) FROM generate_series(1, 100) g", columns: ["g", "s"])
            var count = 0
            let error = #expect(throws: PostgresError.self) {
                while try stream.next() != nil { count += 1 }
            }
            #expect(error?.sqlState == "57014")
            #expect(count < 100)
        }
    }
}
