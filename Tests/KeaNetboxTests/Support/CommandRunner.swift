import Foundation

/// What a finished process left behind.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the built `kea-netbox` executable (and other programs) for end-to-end tests.
enum CommandRunner {
    /// The repository root, for templates/ and examples/.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `kea-netbox` sits beside the test bundle in SwiftPM's build folder.
    static var keaNetbox: URL {
        get throws {
            var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("kea-netbox")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                folder = folder.deletingLastPathComponent()
            }
            throw CommandRunnerError.executableNotBuilt
        }
    }

    static func keaNetbox(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                          in directory: URL? = nil) throws -> CommandResult {
        try run(keaNetbox, arguments, stdin: stdin, environment: environment, in: directory)
    }

    static func run(_ executable: URL, _ arguments: [String], stdin: String? = nil,
                    environment: [String: String] = [:], in directory: URL? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        let errorBox = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorBox.data = errPipe.fileHandleForReading.readDataToEndOfFile() }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: errorBox.data, as: UTF8.self))
    }
}

enum CommandRunnerError: Error, CustomStringConvertible {
    case executableNotBuilt
    var description: String { "the kea-netbox executable was not found beside the test bundle (swift build first)" }
}

/// Written by the reading queue before `group.wait()` returns, read after: the group orders the accesses.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
