import CLibPQ

/// The rows of one SELECT as they arrive from the server (libpq's single-row mode): the caller decodes each row
/// while the server is still producing the next ones, and the result is never held whole, neither by libpq nor
/// as copied rows (at 1,000,000 rows those two copies were most of a read's memory).
///
/// Made by `PostgresConnection.stream(_:)`; the connection runs nothing else until the stream has ended. A stream
/// given up early reads and drops the rest of its rows when it goes away, so the connection stays usable.
public final class RowStream {
    /// Kept so that the connection outlives its stream.
    private let connection: PostgresConnection
    private var handle: OpaquePointer { connection.handle }
    public let columns: [String]
    private let columnIndex: [String: Int]
    /// The first row's result, fetched to learn the columns before any row is asked for.
    private var pending: OpaquePointer?
    private var finished = false

    init(connection: PostgresConnection, sql: String) throws(PostgresError) {
        self.connection = connection
        let handle = connection.handle, secrets = connection.secrets
        guard PQsendQuery(handle, sql) == 1 else {
            throw PostgresError(message: PostgresConnection.trimmed(PQerrorMessage(handle)), sqlState: nil,
                                detail: nil, hint: nil).redacting(secrets)
        }
        // Only fails when no query was sent, which the line above has ruled out; then the rows come whole.
        _ = PQsetSingleRowMode(handle)
        let first = PQgetResult(handle)
        guard let first, [PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK].contains(PQresultStatus(first)) else {
            let error = PostgresConnection.error(from: first, handle: handle, secrets: secrets)
            if let first { PQclear(first) }
            RowStream.drain(handle)
            throw error
        }
        let names = (0..<Int(PQnfields(first))).map { String(cString: PQfname(first, Int32($0))) }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        columns = names
        columnIndex = index
        pending = first
    }

    deinit {
        if let pending { PQclear(pending) }
        if !finished { RowStream.drain(handle) }
    }

    /// The next row; nil once every row has been read. Throws what the server reports part way (a statement
    /// timeout, a lost connection).
    public func next() throws(PostgresError) -> Row? {
        while !finished {
            let result = pending ?? PQgetResult(handle)
            pending = nil
            guard let result else {
                finished = true
                return nil
            }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                return Row(copying: result, row: 0, columnIndex: columnIndex)
            case PGRES_TUPLES_OK:
                // The end of the rows (a result without any); PQgetResult gives nil next.
                continue
            default:
                let error = PostgresConnection.error(from: result, handle: handle, secrets: connection.secrets)
                RowStream.drain(handle)
                finished = true
                throw error
            }
        }
        return nil
    }

    /// Reads what is left of the query's results, so that the connection can run the next statement.
    private static func drain(_ handle: OpaquePointer) {
        while let result = PQgetResult(handle) { PQclear(result) }
    }
}
