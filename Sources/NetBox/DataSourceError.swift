/// Why NetBox data could not be read (the command line maps it to exit code 3). The message says what to fix;
/// it never contains the password, even when the conninfo carries one.
public struct DataSourceError: Error, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        /// The server could not be reached or refused the login.
        case connection
        /// A table or column the reader needs does not exist: not a NetBox database, or an unsupported version.
        case schema
        /// The role lacks SELECT on a table; the message holds the GRANT to run.
        case permission
        /// A query exceeded the statement timeout.
        case timeout
        /// Any other failure of a query.
        case query
    }

    public let reason: Reason
    public let message: String
    /// The server's SQLSTATE, when the server reported the error.
    public let sqlState: String?

    public init(reason: Reason, message: String, sqlState: String? = nil) {
        self.reason = reason
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String { message }
}
