import CLibPQ
import Foundation

/// One libpq connection. Not shared across threads: the reader opens one per run and closes it when done.
public final class PostgresConnection {
    let handle: OpaquePointer
    /// The password from the conninfo or the environment, kept only to scrub it from error texts.
    let secrets: [String]

    /// Connects with a libpq keyword string or a `postgresql://` URI; nil or "" means libpq's defaults (PGHOST,
    /// PGDATABASE, PGUSER, PGSERVICE, ~/.pgpass). The conninfo is never echoed in errors.
    public init(conninfo: String?) throws(PostgresError) {
        if let malformed = PostgresConnection.malformedConninfoError(conninfo) { throw malformed }
        let secrets = PostgresConnection.passwords(in: conninfo)
        // PQconnectdbParams with expand_dbname lets the user's conninfo (in `dbname`) override our fallbacks, which
        // come first: a short connect timeout so an unreachable host fails in seconds, and an application name for
        // pg_stat_activity. Both yield to PGCONNECT_TIMEOUT / PGAPPNAME and to the conninfo.
        var pairs: [(String, String)] = [("fallback_application_name", "kea-netbox")]
        if ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] == nil { pairs.append(("connect_timeout", "10")) }
        pairs.append(("dbname", conninfo ?? ""))
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        let connection = keywordPointers.withUnsafeMutableBufferPointer { k in
            valuePointers.withUnsafeMutableBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
        guard let connection else {
            throw PostgresError(message: "out of memory while connecting", sqlState: nil, detail: nil, hint: nil)
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = PostgresConnection.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(message: message, sqlState: nil, detail: nil, hint: nil).redacting(secrets)
        }
        handle = connection
        self.secrets = secrets
    }

    deinit { PQfinish(handle) }

    /// Runs SQL. Without parameters it may hold several statements (used to load fixtures); with parameters it is
    /// one statement and the values travel separately from the text, so nothing needs quoting.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> QueryResult {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(handle, sql)
        } else {
            let copies = parameters.map { $0.map { strdup($0) } ?? nil }
            defer { copies.forEach { free($0) } }
            let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
            result = pointers.withUnsafeBufferPointer { buffer in
                PQexecParams(handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
            }
        }
        guard let result else {
            throw PostgresError(message: PostgresConnection.trimmed(PQerrorMessage(handle)), sqlState: nil,
                                detail: nil, hint: nil).redacting(secrets)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(columns: [], rows: [])
        case PGRES_TUPLES_OK:
            return QueryResult(copying: result)
        default:
            throw PostgresConnection.error(from: result, handle: handle, secrets: secrets)
        }
    }

    /// The error a failed result (or, without one, the connection) reports, without the password.
    static func error(from result: OpaquePointer?, handle: OpaquePointer, secrets: [String]) -> PostgresError {
        guard let result else {
            return PostgresError(message: trimmed(PQerrorMessage(handle)), sqlState: nil, detail: nil, hint: nil)
                .redacting(secrets)
        }
        func field(_ code: UInt8) -> String? {
            guard let text = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: text)
        }
        let primary = field(UInt8(ascii: "M")) ?? trimmed(PQresultErrorMessage(result))
        return PostgresError(message: primary, sqlState: field(UInt8(ascii: "C")), detail: field(UInt8(ascii: "D")),
                             hint: field(UInt8(ascii: "H"))).redacting(secrets)
    }

    static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown libpq error" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The password given in the conninfo (keyword or URI form, parsed by libpq itself) and in PGPASSWORD.
    private static func passwords(in conninfo: String?) -> [String] {
        var found: [String] = []
        if let env = ProcessInfo.processInfo.environment["PGPASSWORD"], !env.isEmpty { found.append(env) }
        guard let conninfo, !conninfo.isEmpty else { return found }
        var errorMessage: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(conninfo, &errorMessage) {
            var option = options
            while let keyword = option.pointee.keyword {
                if String(cString: keyword) == "password", let value = option.pointee.val {
                    found.append(String(cString: value))
                }
                option += 1
            }
            PQconninfoFree(options)
        }
        if let errorMessage { PQfreemem(errorMessage) }
        return found
    }
}
