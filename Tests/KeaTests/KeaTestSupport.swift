import Foundation
import KeaTestSupport
import Testing
@testable import Kea

/// Real Kea for the integration tests: each test gets its own folder, its own server (control socket,
/// lease file, pid and lock folders inside the folder), so tests run in parallel.
enum KeaTestEnvironment {
    static let requireAll = ProcessInfo.processInfo.environment["KEA_NETBOX_REQUIRE_ALL"] == "1"

    static func program(_ name: String) -> String? { ProcessRunner.findExecutable(name) }

    /// Tests run when Kea is installed, and also when it is required (then they fail on the missing binary).
    static let keaAvailable = program("kea-dhcp4") != nil && program("kea-dhcp6") != nil
    static let agentAvailable = program("kea-ctrl-agent") != nil
    static var runKeaTests: Bool { keaAvailable || requireAll }
    static var runAgentTests: Bool { (keaAvailable && agentAvailable) || requireAll }
}

/// A temporary folder removed at the end of the test.
final class TestFolder {
    let path: String

    init() throws {
        // Short, because unix socket paths are limited to 107 bytes.
        let path = "/tmp/kn-" + UUID().uuidString.prefix(12).lowercased()
        // 0750: Kea 3 refuses a control socket folder that is more open.
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o750])
        self.path = path
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Everything in the folder except what the test itself created there.
    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// One reservation in a test configuration.
struct TestHost {
    let mac: String
    let ip: String
}

/// Builds the small configurations the tests install. `extra` is spliced into the server map.
func keaConfig(_ family: KeaFamily, folder: TestFolder, hosts: [TestHost], leaseFile: String? = nil,
               extra: String = "", subnetID: Int = 1) -> String {
    let socket = folder.file(family == .v4 ? "kea4.sock" : "kea6.sock")
    let leases = leaseFile ?? folder.file(family == .v4 ? "leases4.csv" : "leases6.csv")
    let reservations = hosts.map { host in
        family == .v4
            ? "        {\"hw-address\": \"\(host.mac)\", \"ip-address\": \"\(host.ip)\"}"
            : "        {\"hw-address\": \"\(host.mac)\", \"ip-addresses\": [\"\(host.ip)\"]}"
    }.joined(separator: ",\n")
    let subnet = family == .v4 ? "192.0.2.0/24" : "2001:db8:1::/64"
    // kea-dhcp6 otherwise writes its DUID to /var/lib/kea, which a test machine may not have.
    let serverID = family == .v6 ? "\n    \"server-id\": {\"type\": \"LLT\", \"persist\": false}," : ""
    return """
    {
      "\(family.topLevelKey)": {
        "interfaces-config": {"interfaces": []},
        "control-socket": {"socket-type": "unix", "socket-name": "\(socket)"},
        "lease-database": {"type": "memfile", "name": "\(leases)", "lfc-interval": 0},\(serverID)\(extra)
        "\(family.subnetKey)": [{
          "id": \(subnetID),
          "subnet": "\(subnet)",
          "reservations": [
    \(reservations)
          ]
        }]
      }
    }

    """
}

/// A lease file that every Kea's `-t` accepts and every server fails to open on a reload: a folder, in the folder Kea
/// allows for lease files (so the path rules pass too).
func refusedLeaseFile(in folder: TestFolder) throws -> String {
    let path = folder.file("leases-folder.csv")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

func hosts(_ range: ClosedRange<Int>, family: KeaFamily = .v4) -> [TestHost] {
    range.map { index in
        TestHost(mac: String(format: "02:00:00:00:00:%02x", index),
                 ip: family == .v4 ? "192.0.2.\(index + 10)" : "2001:db8:1::\(index + 10)")
    }
}

/// A running kea-dhcp4 or kea-dhcp6, stopped by its pid when the value goes away.
final class KeaServer {
    let family: KeaFamily
    let folder: TestFolder
    let kea: KeaUnderTest
    let configPath: String
    let socketPath: String
    private let process: ChildProcess

    init(_ family: KeaFamily, folder: TestFolder, config: String, configName: String? = nil,
         kea: KeaUnderTest = .host) throws {
        self.family = family
        self.folder = folder
        self.kea = kea
        configPath = folder.file(configName ?? "kea-\(family.serviceName).conf")
        socketPath = folder.file(family == .v4 ? "kea4.sock" : "kea6.sock")
        try config.write(toFile: configPath, atomically: false, encoding: .utf8)
        let program = try #require(kea.program(family.serverProgram), "\(family.serverProgram) is not installed (\(kea))")
        process = try ChildProcess(program, ["-c", configPath], folder: folder, log: "kea-\(family.serviceName).log", kea: kea)
        try waitForSocket()
    }

    /// The end of the server's log, for failure messages.
    var log: String { String((fileText(folder.file("kea-\(family.serviceName).log")) ?? "").suffix(1500)) }

    /// Polls until the control socket answers (Kea starts in about 0.2 s).
    private func waitForSocket() throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if !process.isRunning { break }
            if (try? ControlSocketClient(path: socketPath, timeout: .seconds(2)).send(command: "status-get")) != nil { return }
            usleep(20_000)
        }
        throw ServerError(message: "\(family.serverProgram) (\(kea)) did not open \(socketPath): \(log)")
    }

    struct ServerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    var pid: Int32 { process.pid }

    /// Kea's pid file: `<KEA_PIDFILE_DIR>/<config name without extension>.kea-dhcpN.pid`.
    var pidFile: String {
        let base = ((configPath as NSString).lastPathComponent as NSString).deletingPathExtension
        return folder.file("\(base).\(family.serverProgram).pid")
    }

    /// `config-get`'s reserved addresses of the first subnet, as the running server sees them.
    func reservedAddresses() throws -> [String] {
        let reply = try ControlSocketClient(path: socketPath, timeout: .seconds(10)).send(command: "config-get")
        let document = try ConfigDocument.parse("{\"r\": \(reply)}", file: "config-get", topLevel: .anyObject)
        let answer = document.root["r"]?.arrayValue?.first ?? document.root["r"]
        let server = answer?["arguments"]?[family.topLevelKey]
        let reservations = server?[family.subnetKey]?.arrayValue?.first?["reservations"]?.arrayValue ?? []
        return reservations.flatMap { reservation -> [String] in
            if family == .v4 { return reservation["ip-address"]?.stringValue.map { [$0] } ?? [] }
            return reservation["ip-addresses"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }.sorted()
    }

    /// True when the server still answers `status-get` with result 0.
    func answers() -> Bool {
        guard let reply = try? ControlSocketClient(path: socketPath, timeout: .seconds(5)).send(command: "status-get") else { return false }
        return (try? KeaReply.check(reply, source: "test")) != nil
    }

}

/// A child started with an empty signal mask (see ProcessRunner), stopped by its pid at the end.
final class ChildProcess {
    let pid: pid_t
    private var exited = false

    init(_ program: String, _ arguments: [String], folder: TestFolder, log: String, kea: KeaUnderTest) throws {
        let environment = kea.environment(folder: folder.path)
        pid = try ProcessRunner.spawn(program, arguments, environment: environment,
                                      output: .file(folder.file(log)), error: .file(folder.file(log))).pid
    }

    var isRunning: Bool {
        if exited { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return !exited
    }

    deinit {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }
}

extension KeaUnderTest {
    /// Whether this Kea can run here; if not, a note, or a recorded failure under KEA_NETBOX_REQUIRE_ALL=1.
    func usable(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let reason = missingReason else { return true }
        if KeaTestEnvironment.requireAll {
            Issue.record("\(reason) but KEA_NETBOX_REQUIRE_ALL=1", sourceLocation: sourceLocation)
        } else {
            print("note: skipping \(self): \(reason)")
        }
        return false
    }

    /// Installer options for `output` driving this Kea: its programs, and Kea's folders moved to `folder`.
    func options(_ output: String, folder: TestFolder) -> Installer.Options {
        var options = Installer.Options(output: output)
        options.environment = environment(folder: folder.path)
        return options
    }

    var keaVersion: KeaVersion? { KeaVersion(versionOutput: version) }
}

/// A free TCP port on 127.0.0.1 (asked from the kernel, then released for the agent to take).
func freePort() throws -> UInt16 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
            bind(descriptor, sockaddr, length) == 0 && getsockname(descriptor, sockaddr, &length) == 0
        }
    }
    guard bound else { throw KeaServer.ServerError(message: "no free port") }
    return UInt16(bigEndian: address.sin_port)
}

/// kea-ctrl-agent on 127.0.0.1:port, forwarding to a server's control socket.
final class ControlAgent {
    let port: UInt16
    private let process: ChildProcess

    init(folder: TestFolder, server: KeaServer) throws {
        port = try freePort()
        let config = """
        {"Control-agent": {"http-host": "127.0.0.1", "http-port": \(port),
          "control-sockets": {"\(server.family.serviceName)": {"socket-type": "unix", "socket-name": "\(server.socketPath)"}}}}
        """
        let path = folder.file("kea-ctrl-agent.conf")
        try config.write(toFile: path, atomically: false, encoding: .utf8)
        let program = try #require(server.kea.program("kea-ctrl-agent"), "kea-ctrl-agent is not installed (\(server.kea))")
        process = try ChildProcess(program, ["-c", path], folder: folder, log: "kea-ctrl-agent.log", kea: server.kea)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, process.isRunning {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(descriptor)
            if connected { return }
            usleep(20_000)
        }
        throw KeaServer.ServerError(message: "kea-ctrl-agent did not listen on 127.0.0.1:\(port)")
    }

    var url: String { "http://127.0.0.1:\(port)/" }
}

/// Modification time with nanoseconds, to prove a file was not rewritten.
func modificationTime(_ path: String) -> timespec? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mtim
}

func fileText(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

/// Runs `body` and returns the InstallError it threw (recording an issue when it did not throw).
func installError(_ body: () throws -> InstallReport, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> InstallError? {
    do {
        let report = try body()
        Issue.record("expected the install to fail, got: \(report.summaryLine)", sourceLocation: sourceLocation)
        return nil
    } catch let error as InstallError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
