import Foundation
import Testing

/// A real NetBox (pip-installed 4.7.3, its own Redis) on the test PostgreSQL, started by scripts/netbox-server and
/// populated by scripts/netbox/populate.py; shared by the tests of one run because migrating and starting NetBox
/// takes long on a loaded machine. The script's watcher stops it when the test process ends.
struct NetBoxServer: Sendable {
    static let version = "4.7.3"

    let url: String
    /// libpq conninfo of the same NetBox's database, for comparing with the database reader.
    let database: String
    let folder: URL
    /// A v2 token of a superuser, and a v1 token of a user who may view everything but IP ranges.
    var fullTokenFile: URL { folder.appendingPathComponent("token-full") }
    var noRangesTokenFile: URL { folder.appendingPathComponent("token-no-ranges") }

    func token(_ file: URL) throws -> String {
        try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static let shared: Result<NetBoxServer, NetBoxServerError> = start()

    /// The shared server, or nil with a note (a failure under KEA_NETBOX_REQUIRE_ALL=1) when it cannot run here.
    static func available() throws -> NetBoxServer? {
        guard TestCluster.available() != nil else { return nil }
        return try shared.get()
    }

    private static func start() -> Result<NetBoxServer, NetBoxServerError> {
        guard let host = TestCluster.host else { return .failure(NetBoxServerError(message: "no test cluster")) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kea-netbox-nb-\(UUID().uuidString.prefix(8).lowercased())")
        let script = CommandRunner.repositoryRoot.appendingPathComponent("scripts/netbox-server")
        let result: CommandResult
        do {
            result = try CommandRunner.run(script, ["start", folder.path, "\(ProcessInfo.processInfo.processIdentifier)"],
                                           environment: ["KEA_NETBOX_TEST_PGHOST": host])
        } catch {
            return .failure(NetBoxServerError(message: "cannot run scripts/netbox-server: \(error)"))
        }
        guard result.status == 0,
              let env = try? String(contentsOf: folder.appendingPathComponent("netbox.env"), encoding: .utf8) else {
            return .failure(NetBoxServerError(message: "scripts/netbox-server start failed (\(result.status)): \(result.stderr)"))
        }
        var values: [String: String] = [:]
        for line in env.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let url = values["NETBOX_URL"], let database = values["NETBOX_DATABASE"] else {
            return .failure(NetBoxServerError(message: "netbox.env lacks NETBOX_URL or NETBOX_DATABASE: \(env)"))
        }
        return .success(NetBoxServer(url: url, database: database, folder: folder))
    }
}

struct NetBoxServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
