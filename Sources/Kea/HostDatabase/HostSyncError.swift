import Diagnostics

/// Why a hosts sync stopped, with the exit code DESIGN §5 gives it. Nothing was written in any of these cases:
/// the transaction is rolled back first.
public enum HostSyncError: Error, Sendable, CustomStringConvertible {
    /// The rendered hosts were refused: syntax, semantic checks, removal guard, conflicts with foreign hosts (4).
    case rejected(InstallError)
    /// Kea's host database cannot be reached (3, like any database that cannot be reached).
    case connection(String)
    /// The database has no Kea schema, or one kea-netbox does not write (1).
    case schema(String)
    /// Another sync holds the database's lock (1).
    case lockTimeout(String)
    /// A statement failed, or a file could not be read (1).
    case database(String)

    public var exitCode: Int32 {
        switch self {
        case .rejected(let error): return error.exitCode
        case .connection: return 3
        case .schema, .lockTimeout, .database: return 1
        }
    }

    /// A rejection of the rendered hosts' content as located diagnostics (in the rendered text's coordinates).
    public var configDiagnostics: [Diagnostic]? {
        if case .rejected(let error) = self { return error.configDiagnostics }
        return nil
    }

    public var description: String {
        switch self {
        case .rejected(let error):
            return error.description.replacingOccurrences(of: "rendered configuration rejected", with: "rendered hosts rejected")
        case .connection(let message), .schema(let message), .lockTimeout(let message), .database(let message):
            return message
        }
    }
}
