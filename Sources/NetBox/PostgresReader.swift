import Foundation
import PostgreSQL

/// Reads reservations, prefixes and IP ranges from NetBox's PostgreSQL database (DESIGN §4).
///
/// All queries run in one REPEATABLE READ, READ ONLY transaction so they see a single consistent state even while
/// NetBox is being edited, under a statement timeout so a locked or overloaded database fails the run instead of
/// hanging it.
public struct PostgresReader: Sendable, CustomStringConvertible, CustomReflectable {
    /// Private and left out of `description` and the mirror: it may hold a password.
    private let conninfo: String?
    public let statementTimeout: Duration

    /// - Parameter conninfo: a libpq keyword string (`host=db dbname=netbox user=kea`) or a `postgresql://` URI;
    ///   nil uses libpq's defaults (PGHOST, PGDATABASE, PGUSER, PGSERVICE, ~/.pgpass), which keeps passwords off the
    ///   command line.
    public init(conninfo: String?, statementTimeout: Duration = .seconds(30)) {
        self.conninfo = conninfo
        self.statementTimeout = statementTimeout
    }

    /// Without the conninfo, which may hold a password: `print` and `dump` of a reader are safe to log.
    public var description: String { "PostgresReader(statementTimeout: \(statementTimeout))" }
    public var customMirror: Mirror { Mirror(self, children: ["statementTimeout": statementTimeout]) }

    public func read() throws(DataSourceError) -> (snapshot: Snapshot, warnings: [DataWarning]) {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(conninfo: conninfo)
        } catch {
            throw DataSourceError(reason: .connection, message: """
                cannot connect to the NetBox database: \(error.message)
                (check --database, or PGHOST/PGDATABASE/PGUSER/PGSERVICE and ~/.pgpass when it is not given)
                """)
        }
        var session = ReadSession(connection: connection)
        // One round trip for the transaction and its settings (a process per run pays each round trip again).
        let milliseconds = statementTimeout.postgresMilliseconds
        try session.run((["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "SET LOCAL statement_timeout = \(milliseconds)"]
                         + PostgresReader.transactionSettings).joined(separator: "; "),
                        doing: "start a read-only transaction")
        session.timeoutText = "\(statementTimeout)"

        let catalog: NetBoxSchema.Catalog
        do {
            catalog = try NetBoxSchema.readCatalog(connection)
        } catch {
            throw session.failure(error, doing: "read the catalog")
        }
        let schema = try NetBoxSchema.detect(from: catalog)
        try session.checkPrivileges(on: schema.tables)
        let queries = NetBoxQueries(schema: schema)

        var warnings: [DataWarning] = []
        var candidates: [Reservation] = []
        // Sized once from the planner's count of addresses: growing an array of 100,000 reservations by doubling
        // copied it about seventeen times (a tenth of the read's CPU time, with the page faults). At most a million
        // up front, so that a NetBox of many more addresses than reservations does not reserve gigabytes.
        candidates.reserveCapacity(min(try session.estimatedAddresses(), 1 << 20))
        for (owner, kind) in [(NetBoxQueries.Owner.device, Reservation.Kind.device), (.virtualMachine, .vm)] {
            let doing = kind == .device ? "read device addresses" : "read VM addresses"
            // Decoded as the rows arrive (COPY, as psql's \copy reads them: one buffer per row, no libpq result
            // per row), while the server works on the next ones. The query has no ORDER BY (see
            // `NetBoxQueries.interfaceAddresses`): a row's warnings are put in IP-id order afterwards, so that
            // they come in the same order on every run.
            let query = queries.interfaceAddresses(of: owner)
            let rows = try session.copy(query.sql, columns: query.columns, doing: doing)
            let columns = try session.decode(doing: "read interface addresses") { () throws(ColumnError) in
                try RowDecoding.ReservationColumns(rows.columns)
            }
            var rowWarnings: [(ipID: Int, warnings: [DataWarning])] = []
            while let row = try session.next(of: rows, doing: doing) {
                try session.decode(doing: "read interface addresses") { () throws(ColumnError) in
                    var found: [DataWarning] = []
                    try RowDecoding.reservation(row, columns, kind: kind, into: &candidates, warnings: &found)
                    if !found.isEmpty { rowWarnings.append((try row.requiredInt(columns.ipID), found)) }
                }
            }
            rowWarnings.sort { $0.ipID < $1.ipID }
            warnings += rowWarnings.flatMap(\.warnings)
        }
        let (reservations, conflicts) = ReservationConflicts.resolve(consume candidates)
        warnings += conflicts

        var prefixes: [Prefix] = []
        for row in try session.query(queries.prefixes, doing: "read prefixes").rows {
            try session.decode(doing: "read prefixes") { () throws(ColumnError) in
                if let prefix = try RowDecoding.prefix(row, warnings: &warnings) { prefixes.append(prefix) }
            }
        }
        var ranges: [IPRange] = []
        for row in try session.query(queries.ipRanges, doing: "read IP ranges").rows {
            try session.decode(doing: "read IP ranges") { () throws(ColumnError) in
                if let range = try RowDecoding.ipRange(row, warnings: &warnings) { ranges.append(range) }
            }
        }
        // Read-only: nothing to commit, but end the transaction cleanly rather than leave it to the disconnect.
        try session.run("COMMIT", doing: "end the transaction")
        var snapshot = Snapshot(schema: schema.label, prefixes: prefixes, ipRanges: ranges, reservations: reservations)
        snapshot.sort()
        return (snapshot, warnings)
    }
}

/// Runs the reader's statements and turns libpq errors into messages that say what to fix.
struct ReadSession {
    let connection: PostgresConnection
    var timeoutText = ""

    func run(_ sql: String, doing what: String) throws(DataSourceError) {
        do {
            try connection.execute(sql)
        } catch {
            throw failure(error, doing: what)
        }
    }

    func query(_ sql: String, doing what: String) throws(DataSourceError) -> QueryResult {
        do {
            return try connection.execute(sql)
        } catch {
            throw failure(error, doing: what)
        }
    }

    func copy(_ sql: String, columns: [String], doing what: String) throws(DataSourceError) -> CopyStream {
        do {
            return try connection.copy(sql, columns: columns)
        } catch {
            throw failure(error, doing: what)
        }
    }

    func next(of rows: CopyStream, doing what: String) throws(DataSourceError) -> Row? {
        do {
            return try rows.next()
        } catch {
            throw failure(error, doing: what)
        }
    }

    func decode<T>(doing what: String, _ body: () throws(ColumnError) -> T) throws(DataSourceError) -> T {
        do {
            return try body()
        } catch {
            throw DataSourceError(reason: .query, message: "cannot \(what): \(error.isRefusedValue ? "" : "unexpected result, ")\(error)")
        }
    }

    /// How many IP addresses the planner believes NetBox has (`pg_class.reltuples`, kept by autovacuum's ANALYZE);
    /// 0 when it has never counted them.
    func estimatedAddresses() throws(DataSourceError) -> Int {
        let rows = try query("""
            SELECT COALESCE((SELECT reltuples::bigint FROM pg_catalog.pg_class
                             WHERE oid = pg_catalog.to_regclass('ipam_ipaddress')), 0) AS addresses
            """, doing: "read the catalog").rows
        return max(0, (try? rows.first?.int("addresses")) ?? 0)
    }

    /// Checks SELECT on every table up front so a missing GRANT is reported once, completely, with the statement
    /// that fixes it, instead of failing on whichever query happens to run first.
    func checkPrivileges(on tables: [String]) throws(DataSourceError) {
        let rows = try query("""
            SELECT current_user AS role, quote_ident(current_user) AS quoted_role,
                   array_to_json(array_agg(t ORDER BY t) FILTER (WHERE NOT has_table_privilege(t, 'SELECT'))) AS denied
            FROM unnest('{\(tables.joined(separator: ","))}'::text[]) AS t
            """, doing: "check table privileges").rows
        guard let row = rows.first else { return }
        let denied: [String]
        let user: String, quotedUser: String
        do {
            guard let deniedText = try row.string("denied") else { return }
            guard case .array(let values)? = try? JSONValue.parse(deniedText) else { return }
            denied = values.compactMap { value -> String? in
                if case .string(let name) = value { return name }
                return nil
            }
            user = try row.requiredString("role")
            quotedUser = try row.requiredString("quoted_role")
        } catch {
            throw DataSourceError(reason: .query, message: "cannot check table privileges: unexpected result, \(error)")
        }
        guard !denied.isEmpty else { return }
        let list = denied.joined(separator: ", ")
        throw DataSourceError(reason: .permission, message: """
            permission denied: role \(user) cannot SELECT from \(list); as the table owner or a superuser run: \
            GRANT SELECT ON \(list) TO \(quotedUser);
            """, sqlState: "42501")
    }

    func failure(_ error: PostgresError, doing what: String) -> DataSourceError {
        switch error.sqlState {
        case "42501"?:
            var fix = ""
            if let table = PostgresErrorText.object(after: "permission denied for table ", in: error.message) {
                fix = "; as the table owner or a superuser run: GRANT SELECT ON \(table) TO <this role>;"
            } else if let schema = PostgresErrorText.object(after: "permission denied for schema ", in: error.message) {
                fix = "; as the schema owner or a superuser run: GRANT USAGE ON SCHEMA \(schema) TO <this role>;"
            }
            return DataSourceError(reason: .permission, message: "cannot \(what): \(error.message)\(fix)",
                                   sqlState: error.sqlState)
        case "42P01"?, "42703"?:
            return DataSourceError(reason: .schema, message: """
                cannot \(what): \(error.message): the database does not have the NetBox schema kea-netbox expects \
                (NetBox 3.0 or later)
                """, sqlState: error.sqlState)
        case "57014"?:
            return DataSourceError(reason: .timeout, message: """
                cannot \(what): the query ran longer than the statement timeout (\(timeoutText)); check the database \
                load or raise the timeout
                """, sqlState: error.sqlState)
        case nil, "08000"?, "08003"?, "08006"?, "57P01"?:
            return DataSourceError(reason: .connection, message: "cannot \(what): \(error.message)",
                                   sqlState: error.sqlState)
        default:
            return DataSourceError(reason: .query, message: "cannot \(what): \(error)", sqlState: error.sqlState)
        }
    }
}

/// Picks object names out of PostgreSQL's fixed message texts.
enum PostgresErrorText {
    static func object(after marker: String, in message: String) -> String? {
        guard let range = message.range(of: marker) else { return nil }
        let name = message[range.upperBound...].prefix { !$0.isWhitespace }
        return name.isEmpty ? nil : String(name)
    }
}
