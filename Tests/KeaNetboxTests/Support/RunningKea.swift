import Foundation
import Kea
import KeaTestSupport
import Testing

/// A real kea-dhcp4 / kea-dhcp6 in a temporary folder (no DHCP sockets: the config's interface list is empty),
/// reached through its control socket, killed when the value goes away. `launcher` runs it through a prefix that
/// execs it (`ip netns exec NS`: the process keeps its pid, so it is still killed by pid).
final class RunningKea {
    let process = Process()
    let socketPath: String

    /// The server's standard output and error (its log, with loggers writing to stdout).
    let log: URL

    init(program: URL, config: String, folder: TemporaryFolder, socketPath: String, launcher: [String] = [],
         kea: KeaUnderTest = .host, log: String = "kea.log") throws {
        self.socketPath = socketPath
        let command = launcher + [program.path, "-c", config]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = kea.environment(folder: folder.url.path)
        self.log = try folder.write(log, "")
        process.standardOutput = try FileHandle(forWritingTo: self.log)
        process.standardError = process.standardOutput
        try process.run()
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, process.isRunning {
            if (try? ControlSocketClient(path: socketPath, timeout: .seconds(2)).send(command: "status-get")) != nil { return }
            usleep(20_000)
        }
        let log = (try? String(contentsOf: self.log, encoding: .utf8)) ?? ""
        throw TestClusterError(message: "\(program.lastPathComponent) (\(kea)) did not open its control socket \(socketPath): \(log.suffix(1500))")
    }

    deinit {
        // SIGKILL: Foundation's Process may hand the child a blocked signal mask, and the test is over anyway.
        // Never kill(0, …): that would be this whole process group, if the process never started.
        guard process.processIdentifier > 0 else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The hostnames of every reservation the running server has, from `config-get`.
    func reservedHostnames(family: String) throws -> [String] {
        let reply = try ControlSocketClient(path: socketPath, timeout: .seconds(10)).send(command: "config-get")
        let document = try ConfigDocument.parse("{\"reply\": \(reply)}", file: "config-get", topLevel: .anyObject)
        let answer = document.root["reply"]?.arrayValue?.first ?? document.root["reply"]
        let subnets = answer?["arguments"]?["Dhcp\(family)"]?["subnet\(family)"]?.arrayValue ?? []
        return subnets.flatMap { $0["reservations"]?.arrayValue ?? [] }.compactMap { $0["hostname"]?.stringValue }.sorted()
    }
}
