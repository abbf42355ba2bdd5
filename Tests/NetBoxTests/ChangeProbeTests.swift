import PostgreSQL
import Foundation
import Testing
@testable import NetBox

/// The change probe against NetBox-shaped databases (3.7: `extras_objectchange`, 4.x: `core_objectchange`), edited
/// the way NetBox edits them: the row with its `last_updated`, and a change-log row in the same transaction.
@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipReason))
struct ChangeProbeTests {
    static let host = """
        SELECT fx_primary(fx_ip('192.0.2.10/24', fx_interface(fx_device('srv1'), 'eth0', '02:00:00:00:00:01')));
        SELECT fx_primary(fx_ip('192.0.2.11/24', fx_interface(fx_device('srv2'), 'eth0', '02:00:00:00:00:02')));
        """

    /// A mark once the fixture's own writes have reached PostgreSQL's counters (they arrive when its session ends).
    static func settledMark(_ probe: ChangeProbe) throws -> ChangeMark {
        var previous = try probe.mark(base: nil)
        for _ in 0..<100 {
            Thread.sleep(forTimeInterval: 0.2)
            let next = try probe.mark(base: previous.base)
            if next == previous { return next }
            previous = next
        }
        Issue.record("the table counters never settled")
        return previous
    }

    static func changed(_ probe: ChangeProbe, since mark: ChangeMark, within seconds: Double = 30) throws -> ChangeMark? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let now = try probe.mark(base: mark.base)
            if now != mark { return now }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return nil
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func findsTheChangeLogOfTheSchema(shape: TestDatabase.Shape) throws {
        try TestDatabase.with(shape, setup: Self.host) { database in
            let mark = try ChangeProbe(conninfo: database.conninfo).mark(base: nil)
            #expect(mark.changeLog == (shape == .netbox37 ? "extras_objectchange" : "core_objectchange"))
            // Inserted, updated, deleted: the fixture's two addresses (their counters arrive when its session ends).
            let counters = try #require(try Self.settledMark(ChangeProbe(conninfo: database.conninfo)).tables["ipam_ipaddress"])
            #expect(counters.count == 3)
            #expect(counters.first == 2)
        }
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func nothingChangedGivesTheSameMark(shape: TestDatabase.Shape) throws {
        try TestDatabase.with(shape, setup: Self.host) { database in
            let probe = ChangeProbe(conninfo: database.conninfo)
            let mark = try Self.settledMark(probe)
            try database.execute("SELECT count(*) FROM ipam_ipaddress")  // reads are not changes
            Thread.sleep(forTimeInterval: 1.5)
            #expect(try probe.mark(base: mark.base) == mark)
        }
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func aNetBoxEditIsSeen(shape: TestDatabase.Shape) throws {
        try TestDatabase.with(shape, setup: Self.host) { database in
            let probe = ChangeProbe(conninfo: database.conninfo)
            let mark = try Self.settledMark(probe)
            try database.execute("""
                BEGIN;
                UPDATE ipam_ipaddress SET address = '192.0.2.20/24' WHERE id = 1;
                SELECT fx_log_change('ipam', 'ipaddress', 1, 'update');
                COMMIT;
                """)
            let now = try probe.mark(base: mark.base)
            #expect(now != mark)
            #expect(now.newest == (mark.newest ?? 0) + 1)
        }
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func aDeletedHostIsSeen(shape: TestDatabase.Shape) throws {
        try TestDatabase.with(shape, setup: Self.host) { database in
            let probe = ChangeProbe(conninfo: database.conninfo)
            let mark = try Self.settledMark(probe)
            try database.execute("""
                BEGIN;
                UPDATE dcim_device SET primary_ip4_id = NULL WHERE id = 2;
                DELETE FROM ipam_ipaddress WHERE id = 2;
                SELECT fx_log_change('ipam', 'ipaddress', 2, 'delete');
                COMMIT;
                """)
            #expect(try probe.mark(base: mark.base) != mark)
        }
    }

    /// The edit that a high-water mark misses: its transaction took its change-log id before a later edit, which
    /// was seen (and installed) first; it commits afterwards, below the newest id.
    @Test(arguments: TestDatabase.Shape.allCases)
    func anEditCommittedAfterALaterOneIsSeen(shape: TestDatabase.Shape) throws {
        try TestDatabase.with(shape, setup: Self.host) { database in
            let probe = ChangeProbe(conninfo: database.conninfo)
            let slow = try PostgresConnection(conninfo: database.conninfo)
            try slow.execute("BEGIN")
            try slow.execute("UPDATE ipam_ipaddress SET dns_name = 'slow.example.com' WHERE id = 1")
            try slow.execute("SELECT fx_log_change('ipam', 'ipaddress', 1, 'update')")
            try database.execute("""
                BEGIN;
                UPDATE ipam_ipaddress SET dns_name = 'fast.example.com' WHERE id = 2;
                SELECT fx_log_change('ipam', 'ipaddress', 2, 'update');
                COMMIT;
                """)
            let installed = try Self.settledMark(probe)
            try slow.execute("COMMIT")
            let now = try #require(try Self.changed(probe, since: installed), "the late commit was not seen")
            #expect(now.newest == installed.newest, "the newest change-log id did not move: only the count saw it")
            #expect(now.recent == installed.recent + 1)
        }
    }

    /// Raw SQL bypasses NetBox (no change log, no last_updated): PostgreSQL's write counters still move.
    @Test(arguments: TestDatabase.Shape.allCases)
    func rawSQLWithoutAChangeLogIsSeenThroughTheCounters(shape: TestDatabase.Shape) throws {
        try TestDatabase.with(shape, setup: Self.host) { database in
            let probe = ChangeProbe(conninfo: database.conninfo)
            let mark = try Self.settledMark(probe)
            try database.execute("UPDATE dcim_interface SET name = 'eth9' WHERE id = 1")
            let now = try #require(try Self.changed(probe, since: mark), "the raw update was not seen")
            #expect(now.newest == mark.newest)
        }
    }

    @Test func keepsItsConnectionAndReconnectsAfterItBreaks() throws {
        try TestDatabase.with(.netbox4x, setup: Self.host) { database in
            let probe = ChangeProbe(conninfo: database.conninfo)
            let mark = try Self.settledMark(probe)
            // Ends every other session on this database: the probe's connection breaks under it.
            try database.execute("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)
            #expect(throws: DataSourceError.self) { try probe.mark(base: mark.base) }
            #expect(try probe.mark(base: mark.base) == mark)
        }
    }
}
