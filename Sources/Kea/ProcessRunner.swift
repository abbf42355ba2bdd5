import Foundation

/// Runs a program to completion with its output captured and a time limit, for the check command and the
/// command reloader.
struct ProcessRunner {
    struct Outcome: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String
        let timedOut: Bool
    }

    /// Holds one pipe's bytes, filled by a reader on another thread (both pipes are drained at once so a
    /// chatty child cannot block on a full pipe).
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func store(_ bytes: Data) { lock.withLock { data = bytes } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    timeout: Duration) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }

        try process.run()
        let output = Collected()
        let error = Collected()
        let readers = DispatchGroup()
        for (pipe, box) in [(outputPipe, output), (errorPipe, error)] {
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async(group: readers) { box.store(handle.readDataToEndOfFile()) }
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        var timedOut = false
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        }
        // A grandchild that keeps the pipe open must not hang the install.
        _ = readers.wait(timeout: .now() + 5)
        return Outcome(status: process.terminationStatus, standardOutput: output.text,
                       standardError: error.text, timedOut: timedOut)
    }

    /// The first executable named `name` in PATH, then in the sbin folders (where Debian installs Kea,
    /// often outside a cron or systemd PATH).
    static func findExecutable(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Quotes a word for /bin/sh: the file path put into a custom check command cannot split or expand.
    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
