import PostgreSQL
import Foundation
import Synchronization

/// One cheap query that tells whether anything the reader reads may have changed (DESIGN §6, §8).
///
/// NetBox writes a change-log row for every save and deletion through its UI, API, scripts and imports, in the
/// same transaction. Ids come from a sequence when the row is inserted, not when it commits, so a transaction that
/// began before a probe and commits after a newer edit was seen leaves a row *below* the newest id: a high-water
/// mark alone would miss it. The probe therefore also counts the rows above a fixed base (the newest row older
/// than `window`), and a late commit raises that count. The change log and ids are read through their indexes
/// (primary keys, `time`), so the cost does not grow with the data.
///
/// Saves that write no change-log row (Django's shell, a plugin's background job without a request, raw SQL) are
/// seen through PostgreSQL's per-table counters of inserted, updated and deleted rows, read by table oid through the
/// statistics functions (`pg_stat_get_tuples_*`), not through the `pg_stat_user_tables` view.
/// `last_updated` is not queried: NetBox has no index on it, so `max(last_updated)` is a scan of every table on
/// every probe (about 30 ms per 100,000 rows, measured), and the counters see everything it would (and raw SQL).
/// Nothing in the query opens a read table either: an `install` from a timer starts a new session, whose first plan
/// of a query naming a table loads that table's and its indexes' catalog entries. With each table's `max(id)` and the
/// view the probe cost 10–17 ms of planning in a new session (1 ms warm) — most of an unchanged install's 50 ms;
/// without them under 1 ms. The newest ids added nothing the counters miss, only earlier: an insert made without a
/// change-log row is seen once its counter arrives, as updates and deletions always were.
///
/// What it cannot see, and `watch --full-every` covers: a transaction that stays open longer than `window` and
/// commits after a newer edit was installed, when no other table counter moves; writes on a primary when the probe
/// reads a streaming replica (its counters count only its own writes: there only the change log moves); counters
/// that PostgreSQL resets (a crash, `pg_stat_reset`) — that costs one needless read, never a miss. Counters reach
/// the statistics when the writing session ends its transaction and goes idle (PostgreSQL 15: within 1–10
/// seconds), so a raw-SQL edit may be seen one probe late.
///
/// Holds one connection and opens a new one after it breaks, so a long-running `watch` keeps a single session.
public final class ChangeProbe: Sendable, CustomStringConvertible {
    /// How long a NetBox transaction may stay open and still be seen when it commits late.
    public static let window = "1 hour"

    private let conninfo: String?
    private let statementTimeout: Duration
    /// The open session and what was learnt about the database when it was opened (the catalog does not change
    /// under a running NetBox; a NetBox upgrade restarts the sessions).
    private struct Session {
        let connection: PostgresConnection
        let schema: NetBoxSchema
    }

    private let connection = Mutex<Session?>(nil)

    public init(conninfo: String?, statementTimeout: Duration = .seconds(30)) {
        self.conninfo = conninfo
        self.statementTimeout = statementTimeout
    }

    /// Without the conninfo, which may hold a password.
    public var description: String { "ChangeProbe(statementTimeout: \(statementTimeout))" }

    /// The mark now. `base` is the one of the mark to compare with; nil starts a series (a new base is chosen).
    public func mark(base: Int64?) throws(DataSourceError) -> ChangeMark {
        try connection.withLock { (held: inout Session?) throws(DataSourceError) -> ChangeMark in
            let session = try Self.session(&held, conninfo: conninfo, statementTimeout: statementTimeout)
            do throws(DataSourceError) {
                return try Self.query(ReadSession(connection: session.connection), schema: session.schema, base: base)
            } catch {
                // A broken connection is dropped so the next probe reconnects; a query error keeps it.
                if error.reason == .connection { held = nil }
                throw error
            }
        }
    }

    /// Closes the connection (the next probe opens a new one).
    public func disconnect() {
        connection.withLock { $0 = nil }
    }

    private static func session(_ held: inout Session?, conninfo: String?,
                                statementTimeout: Duration) throws(DataSourceError) -> Session {
        if let held { return held }
        let opened: PostgresConnection
        do {
            opened = try PostgresConnection(conninfo: conninfo)
        } catch {
            throw DataSourceError(reason: .connection, message: "cannot connect to the NetBox database: \(error.message)")
        }
        var session = ReadSession(connection: opened)
        let milliseconds = statementTimeout.postgresMilliseconds
        // A session setting, not SET LOCAL: each probe is its own statement, outside any transaction.
        try session.run("SET statement_timeout = \(milliseconds)", doing: "set the statement timeout")
        session.timeoutText = "\(statementTimeout)"
        let catalog: NetBoxSchema.Catalog
        do {
            catalog = try NetBoxSchema.readCatalog(opened)
        } catch {
            throw session.failure(error, doing: "read the catalog")
        }
        // The tables themselves are not read (their counters come by oid), so no SELECT on them is needed here: the
        // read that follows a change checks its own privileges.
        var schema = try NetBoxSchema.detect(from: catalog)
        // A role without SELECT on the change log (an older GRANT) still gets a working probe from the counters.
        if let log = schema.changeLogTable {
            do {
                let result = try opened.execute("SELECT has_table_privilege($1, 'SELECT')::text AS allowed", [log])
                if (try? result.rows.first?.string("allowed")) != "true" { schema.changeLogTable = nil }
            } catch {
                throw session.failure(error, doing: "check the change log's privileges")
            }
        }
        let opening = Session(connection: opened, schema: schema)
        held = opening
        return opening
    }

    private static func query(_ session: ReadSession, schema: NetBoxSchema, base: Int64?) throws(DataSourceError) -> ChangeMark {
        let tables = schema.tables.sorted()
        // The change-log table's name comes from the fixed list of NetBoxSchema, never from outside.
        let log = schema.changeLogTable.map { "\"\($0)\"" }
        let sql = """
            WITH probe AS (
                SELECT coalesce($1::bigint, \(log.map { "(SELECT id FROM \($0) WHERE \"time\" < now() - interval '\(window)' ORDER BY \"time\" DESC LIMIT 1)" } ?? "NULL"), 0) AS base
            )
            SELECT probe.base::text AS base,
                   \(log.map { "(SELECT max(id) FROM \($0))" } ?? "NULL")::text AS newest,
                   \(log.map { "(SELECT count(*) FROM \($0) WHERE id > probe.base)" } ?? "0")::text AS recent,
                   (SELECT json_object_agg(t::text, json_build_array(pg_stat_get_tuples_inserted(t),
                                pg_stat_get_tuples_updated(t), pg_stat_get_tuples_deleted(t)))
                    FROM unnest($2::regclass[]) AS t)::text AS counters
            FROM probe
            """
        let result: QueryResult
        do {
            result = try session.connection.execute(sql, [base.map(String.init), "{\(tables.joined(separator: ","))}"])
        } catch {
            throw session.failure(error, doing: "probe for changes")
        }
        func unexpected(_ what: String) -> DataSourceError {
            DataSourceError(reason: .query, message: "cannot probe for changes: unexpected result (\(what))")
        }
        guard let row = result.rows.first else { throw unexpected("no row") }
        let baseValue: Int64, recent: Int64, newest: Int64?
        let counters: [String: JSONValue]
        do {
            guard let b = Int64(try row.requiredString("base")), let r = Int64(try row.requiredString("recent")) else {
                throw unexpected("base or count not a number")
            }
            baseValue = b
            recent = r
            newest = try row.string("newest").flatMap { Int64($0) }
            if let text = try row.string("counters") {
                guard case .object(let object)? = try? JSONValue.parse(text) else { throw unexpected("counters") }
                counters = object
            } else {
                counters = [:]
            }
        } catch let error as DataSourceError {
            throw error
        } catch {
            throw unexpected("\(error)")
        }
        var perTable: [String: [Int64?]] = [:]
        for table in tables {
            guard case .array(let numbers)? = counters[table], numbers.count == 3 else { throw unexpected("counters of \(table)") }
            perTable[table] = numbers.map(Self.integer)
        }
        return ChangeMark(changeLog: schema.changeLogTable, base: baseValue, recent: recent, newest: newest,
                          tables: perTable)
    }

    private static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .integer(let number): Int64(number)
        default: nil
        }
    }
}
