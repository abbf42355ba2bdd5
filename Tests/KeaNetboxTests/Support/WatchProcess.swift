import Foundation
import Testing

/// `kea-netbox watch …` running in the background, its log (standard error) collected in a file; stopped with
/// SIGTERM (and waited for) when the value goes away.
final class WatchProcess {
    let process = Process()
    let log: URL

    init(_ arguments: [String], folder: TemporaryFolder, environment: [String: String] = [:]) throws {
        log = try folder.write("watch-\(UUID().uuidString).log", "")
        process.executableURL = try CommandRunner.keaNetbox
        process.arguments = ["watch"] + arguments
        process.currentDirectoryURL = CommandRunner.repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
    }

    deinit {
        guard process.processIdentifier > 0, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var lines: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Polls the log (and `condition`) until it holds; false after `seconds`.
    @discardableResult
    func waitFor(seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            if !process.isRunning { return try condition() }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    func count(_ text: String) -> Int { lines.filter { $0.contains(text) }.count }

    /// SIGTERM, then its exit status (nil when it did not stop within the time).
    func stop(seconds: Double = 60) -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        return process.isRunning ? nil : process.terminationStatus
    }
}
