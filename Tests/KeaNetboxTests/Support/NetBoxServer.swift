import Foundation
import Testing

/// The real NetBox (pip-installed 4.7.3, its own Redis, on the test PostgreSQL) that scripts/test starts in the
/// background with scripts/netbox-server and stops when the run ends; populated by scripts/netbox/populate.py.
/// The tests only talk to it over HTTP (and read its database with the database reader): nothing is started from
/// inside the test process, whose children would inherit its signal mask and whose exited children Foundation does
/// not reap.
struct NetBoxServer: Sendable {
    static let version = "4.7.3"

    let url: String
    /// libpq conninfo of the same NetBox's database, for comparing with the database reader.
    let database: String
    /// A v2 token of a superuser, and a v1 token of a user who may view everything but IP ranges.
    let fullTokenFile: URL
    let noRangesTokenFile: URL
    /// The same NetBox behind HTTPS, its certificate signed by a throwaway CA (`caFile`); `otherCAFile` did not.
    let tlsURL: String
    let caFile: String
    let otherCAFile: String

    func token(_ file: URL) throws -> String {
        try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static let shared: Result<NetBoxServer, NetBoxServerError>? = waitForStart()

    /// The server, or nil with a note (a failure under KEA_NETBOX_REQUIRE_ALL=1) when this run has none.
    static func available(sourceLocation: SourceLocation = #_sourceLocation) throws -> NetBoxServer? {
        switch shared {
        case .success(let server)?:
            return server
        case .failure(let error)?:
            if Prerequisites.requireAll { throw error }
            print("note: skipping: \(error)")
            return nil
        case nil:
            let reason = "no NetBox for the API tests (run them with scripts/test, which starts one)"
            if Prerequisites.requireAll {
                Issue.record("\(reason) but KEA_NETBOX_REQUIRE_ALL=1", sourceLocation: sourceLocation)
            } else {
                print("note: skipping: \(reason)")
            }
            return nil
        }
    }

    /// Waits for scripts/test's background start: NetBox's first start restores and populates a database, which
    /// takes a while on a loaded machine. The bound is generous; it only stops a start that has hung.
    private static func waitForStart() -> Result<NetBoxServer, NetBoxServerError>? {
        guard let path = ProcessInfo.processInfo.environment["KEA_NETBOX_TEST_NETBOX_DIR"] else { return nil }
        let folder = URL(fileURLWithPath: path)
        let env = folder.appendingPathComponent("netbox.env")
        let failed = folder.appendingPathComponent("start.failed")
        let log = folder.appendingPathComponent("start.log")
        for _ in 0..<(30 * 60 * 4) {
            if let text = try? String(contentsOf: env, encoding: .utf8) { return parse(text) }
            if FileManager.default.fileExists(atPath: failed.path) {
                let tail = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(20)
                return .failure(NetBoxServerError(message: """
                    scripts/netbox-server start failed:
                    \(tail.joined(separator: "\n"))
                    """))
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return .failure(NetBoxServerError(message: "NetBox did not start within 30 minutes (see \(log.path))"))
    }

    private static func parse(_ env: String) -> Result<NetBoxServer, NetBoxServerError> {
        var values: [String: String] = [:]
        for line in env.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let url = values["NETBOX_URL"], let database = values["NETBOX_DATABASE"],
              let full = values["NETBOX_TOKEN_FILE"], let limited = values["NETBOX_LIMITED_TOKEN_FILE"],
              let tlsURL = values["NETBOX_TLS_URL"], let caFile = values["NETBOX_CA_FILE"],
              let otherCAFile = values["NETBOX_OTHER_CA_FILE"] else {
            return .failure(NetBoxServerError(message: "netbox.env lacks a value: \(env)"))
        }
        return .success(NetBoxServer(url: url, database: database, fullTokenFile: URL(fileURLWithPath: full),
                                     noRangesTokenFile: URL(fileURLWithPath: limited), tlsURL: tlsURL,
                                     caFile: caFile, otherCAFile: otherCAFile))
    }
}

struct NetBoxServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
