import Diagnostics
import Foundation
import NetBox

/// Where NetBox data comes from: a live database, its API or a snapshot file. All give the same `Snapshot`, so a
/// template renders byte-identically from any.
public enum DataSource: Sendable {
    /// libpq connection string or URI; nil means libpq's own defaults (PGHOST, PGSERVICE, ~/.pgpass, …).
    case database(conninfo: String?, statementTimeout: Duration)
    /// A snapshot file written by `kea-netbox snapshot` (DESIGN.md §3); "-" reads standard input.
    case snapshotFile(String)
    /// NetBox's REST API at `url` (without `/api`); the token comes from `tokenFile` or `NETBOX_TOKEN`; `caFile`
    /// replaces the system's trust roots.
    case netboxAPI(url: URL, tokenFile: String?, timeout: Duration, caFile: String?)

    /// Reads the whole data set once; all failures become `PipelineError.dataSource` (exit 3).
    public func load() throws(PipelineError) -> (snapshot: Snapshot, warnings: [DataWarning]) {
        switch self {
        case .database(let conninfo, let timeout):
            do {
                let (snapshot, warnings) = try PostgresReader(conninfo: conninfo, statementTimeout: timeout).read()
                return (snapshot, warnings)
            } catch {
                throw .dataSource("NetBox database: \(error)")
            }
        case .netboxAPI(let url, let tokenFile, let timeout, let caFile):
            do {
                let token = try NetBoxAPIToken.load(file: tokenFile, environment: ProcessInfo.processInfo.environment)
                let (snapshot, warnings) = try NetBoxAPIReader(url: url, token: token, timeout: timeout,
                                                               caFile: caFile).read()
                return (snapshot, warnings)
            } catch {
                throw .dataSource("NetBox API: \(error)")
            }
        case .snapshotFile(let path):
            let data: Data
            do {
                data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try SnapshotFile.read(path)
            } catch {
                throw .dataSource("\(path): cannot read the snapshot: \(error)")
            }
            do {
                return (try Snapshot.decode(data), [])
            } catch {
                throw PipelineError(.dataSource, [DataSource.diagnostic(error, in: data, file: path == "-" ? "<stdin>" : path)])
            }
        }
    }

    /// Whether `load()` can be called again for the same data (not for standard input, which is read once).
    var canLoadAgain: Bool {
        if case .snapshotFile("-") = self { return false }
        return true
    }

    /// The change probe for this source: one database query, or a few API requests; nil for a snapshot file
    /// (install and watch then compare the file's digest) and when no API token can be loaded (the read then says
    /// why).
    public func changeProbe() -> (any NetBoxChangeProbe)? {
        switch self {
        case .database(let conninfo, let timeout):
            return ChangeProbe(conninfo: conninfo, statementTimeout: timeout)
        case .netboxAPI(let url, let tokenFile, let timeout, let caFile):
            guard let token = try? NetBoxAPIToken.load(file: tokenFile, environment: ProcessInfo.processInfo.environment)
            else { return nil }
            return NetBoxAPIChangeProbe(url: url, token: token, timeout: timeout, caFile: caFile)
        case .snapshotFile:
            return nil
        }
    }

    /// A snapshot error at its `file:line:column` (where the entry or the broken JSON is).
    static func diagnostic(_ error: SnapshotError, in data: Data, file: String) -> Diagnostic {
        let message = "bad snapshot: \(error)"
        guard let offset = error.offset else {
            return Diagnostic(severity: .error, rule: "bad-snapshot", message: "\(file): \(message)")
        }
        return LineTable(Array(data)).diagnostic(.error, rule: "bad-snapshot", message, at: offset, file: file)
    }
}
