import CLibPQ

/// The rows of one SELECT sent as `COPY (query) TO STDOUT` in text format, read one line at a time as they arrive.
///
/// This is what psql's `\copy` does, and why it costs psql almost no CPU: libpq hands over each row as one buffer,
/// where libpq's single-row mode (which the reader used before) builds a whole result, column names and attributes
/// included, per row: half of the reader's own time at 100,000 rows. The
/// fields are decoded into one reused `Row` (no String per field); the caller reads them while the server is still
/// producing the next rows.
///
/// COPY sends no column names, so the caller names the query's columns in order; a row with another number of
/// fields fails the stream. Made by `PostgresConnection.copy(_:columns:)`; the connection runs nothing else until
/// the stream has ended. A stream given up early reads and drops the rest of its rows when it goes away, so the
/// connection stays usable.
public final class CopyStream {
    /// Kept so that the connection outlives its stream.
    private let connection: PostgresConnection
    private var handle: OpaquePointer { connection.handle }
    public let columns: [String]
    /// Reused for every row: when the caller has let go of the previous row its storage is still unique, so
    /// filling it in again allocates nothing.
    private var row: Row
    private var finished = false

    init(connection: PostgresConnection, sql: String, columns: [String]) throws(PostgresError) {
        self.connection = connection
        self.columns = columns
        var index: [String: Int] = [:]
        for (i, name) in columns.enumerated() where index[name] == nil { index[name] = i }
        row = Row(columnIndex: index, capacity: 4096)
        let handle = connection.handle, secrets = connection.secrets
        guard PQsendQuery(handle, "COPY (\(sql)) TO STDOUT") == 1 else {
            throw PostgresError(message: PostgresConnection.trimmed(PQerrorMessage(handle)), sqlState: nil,
                                detail: nil, hint: nil).redacting(secrets)
        }
        let first = PQgetResult(handle)
        guard let first, PQresultStatus(first) == PGRES_COPY_OUT else {
            let error = PostgresConnection.error(from: first, handle: handle, secrets: secrets)
            if let first { PQclear(first) }
            CopyStream.drain(handle)
            finished = true
            throw error
        }
        let sent = Int(PQnfields(first))
        PQclear(first)
        guard sent == columns.count else {
            CopyStream.drain(handle)
            finished = true
            throw PostgresError(message: "the query sends \(sent) columns where \(columns.count) were named",
                                sqlState: nil, detail: nil, hint: nil)
        }
    }

    deinit {
        if !finished { CopyStream.drain(handle) }
    }

    /// The next row; nil once every row has been read. Throws what the server reports part way (a statement
    /// timeout, a lost connection). The row is valid until the next call; keeping it makes the next call copy.
    public func next() throws(PostgresError) -> Row? {
        guard !finished else { return nil }
        var buffer: UnsafeMutablePointer<CChar>? = nil
        let length = PQgetCopyData(handle, &buffer, 0)
        if length > 0, let buffer {
            defer { PQfreemem(buffer) }
            let line = UnsafeRawBufferPointer(start: buffer, count: Int(length)).bindMemory(to: UInt8.self)
            do {
                try CopyTextFormat.read(line, columns: columns.count, into: &row)
            } catch {
                CopyStream.drain(handle)
                finished = true
                throw PostgresError(message: "the server sent \(error.problem)", sqlState: nil, detail: nil, hint: nil)
            }
            return row
        }
        finished = true
        // -1: the copy is over and the command's result says whether it succeeded; -2: libpq failed.
        let result = length == -1 ? PQgetResult(handle) : nil
        defer {
            if let result { PQclear(result) }
            CopyStream.drain(handle)
        }
        if let result, PQresultStatus(result) == PGRES_COMMAND_OK { return nil }
        throw PostgresConnection.error(from: result, handle: handle, secrets: connection.secrets)
    }

    /// Reads what is left of the copy and of the query's results, so that the connection can run the next
    /// statement.
    private static func drain(_ handle: OpaquePointer) {
        var buffer: UnsafeMutablePointer<CChar>? = nil
        while PQgetCopyData(handle, &buffer, 0) > 0 {
            if let buffer { PQfreemem(buffer) }
            buffer = nil
        }
        while let result = PQgetResult(handle) { PQclear(result) }
    }
}

extension PostgresConnection {
    /// Runs one SELECT (no parameters) as `COPY (sql) TO STDOUT` and reads its rows as they arrive; `columns`
    /// names the SELECT's columns in order (COPY sends none). See `CopyStream`.
    public func copy(_ sql: String, columns: [String]) throws(PostgresError) -> CopyStream {
        try CopyStream(connection: self, sql: sql, columns: columns)
    }
}
