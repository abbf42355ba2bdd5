import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs programs for the check command, the command reloader and the diff.
///
/// posix_spawn rather than Foundation's Process: a child must start with an empty signal mask and default
/// handlers (a thread of a Dispatch pool blocks SIGTERM and SIGHUP, and Process passes that mask on: a Kea
/// started that way ignores SIGTERM and SIGHUP). The child also gets its own process group, so a time-out
/// stops its children too.
struct ProcessRunner {
    struct Outcome: Sendable {
        /// The exit status, or 128 + signal number when a signal ended it.
        let status: Int32
        let standardOutput: String
        let standardError: String
        let timedOut: Bool
    }

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    /// Where a child's standard output and error go when not captured.
    enum Sink {
        case pipe
        case file(String)
    }

    /// Starts `executable`; returns its pid and, for `.pipe` sinks, the read ends of the pipes. The child gets
    /// `environment` (default: this process's) without its secrets (`ChildEnvironment`).
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                      output: Sink = .pipe, error: Sink = .pipe) throws(SpawnError) -> (pid: pid_t, output: Int32?, error: Int32?) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var readEnds: [Int32?] = []
        var writeEnds: [Int32] = []
        for (descriptor, sink) in [(Int32(1), output), (Int32(2), error)] {
            switch sink {
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard pipe(&ends) == 0 else {
                    throw SpawnError(description: "cannot create a pipe: \(AtomicFile.errorText())")
                }
                // Not inherited by other children (Glibc's pipe2 is not visible to Swift).
                _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
                posix_spawn_file_actions_adddup2(&actions, ends[1], descriptor)
                readEnds.append(ends[0])
                writeEnds.append(ends[1])
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
                readEnds.append(nil)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let environmentPairs = ChildEnvironment.sanitized(environment ?? ProcessInfo.processInfo.environment)
            .map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environmentPairs.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for end in writeEnds { close(end) }
        guard result == 0 else {
            for end in readEnds.compactMap({ $0 }) { close(end) }
            throw SpawnError(description: "cannot run \(executable): \(AtomicFile.errorText(result))")
        }
        return (pid, readEnds[0], readEnds[1])
    }

    /// Decodes a `waitpid` status: the exit status, or 128 + the signal.
    static func exitStatus(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Runs `executable` to completion with its output captured, stopping it (and its process group)
    /// after `timeout`. `heartbeat` beats while the child's group uses CPU, never past the time-out.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    timeout: Duration, heartbeat: Heartbeat? = nil,
                    started: (pid_t) -> Void = { _ in }) throws(SpawnError) -> Outcome {
        let (pid, outputEnd, errorEnd) = try spawn(executable, arguments, environment: environment)
        started(pid)
        var lastTicks: UInt64 = 0
        var nextLook = ContinuousClock.now + (heartbeat?.interval ?? .zero)
        var buffers: [Int32: [UInt8]] = [:]
        var open = [outputEnd, errorEnd].compactMap { $0 }
        for descriptor in open { buffers[descriptor] = [] }
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        var killDeadline: ContinuousClock.Instant? = nil
        var status: Int32 = 0
        var exited = false
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if !open.isEmpty {
                var entries = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
                _ = poll(&entries, nfds_t(entries.count), 50)
                for entry in entries where entry.revents != 0 {
                    let count = chunk.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress!, $0.count) }
                    if count > 0 {
                        buffers[entry.fd, default: []].append(contentsOf: chunk[0..<count])
                    } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                        close(entry.fd)
                        open.removeAll { $0 == entry.fd }
                    }
                }
            } else if !exited {
                usleep(10_000)
            }
            if !exited {
                let waited = waitpid(pid, &status, WNOHANG)
                if waited == pid { exited = true }
            }
            // Done when the child has exited and its pipes are drained; a grandchild that keeps a pipe
            // open (a daemon started by a reload command) gets a short grace, not the whole time-out.
            if exited && open.isEmpty { break }
            if let heartbeat, !exited, !timedOut, ContinuousClock.now >= nextLook {
                nextLook = ContinuousClock.now + heartbeat.interval
                if let ticks = ProcessGroupCPU.ticks(ofGroup: pid), ticks > lastTicks {
                    lastTicks = ticks
                    heartbeat.beat()
                }
            }
            if exited {
                if killDeadline == nil { killDeadline = ContinuousClock.now + .seconds(1) }
                if let limit = killDeadline, ContinuousClock.now > limit { break }
                continue
            }
            if ContinuousClock.now > deadline {
                if !timedOut {
                    timedOut = true
                    kill(-pid, SIGTERM)
                    killDeadline = ContinuousClock.now + .seconds(2)
                } else if let limit = killDeadline, ContinuousClock.now > limit {
                    kill(-pid, SIGKILL)
                    killDeadline = ContinuousClock.now + .seconds(3600)
                }
            }
        }
        for descriptor in open { close(descriptor) }
        return Outcome(status: exitStatus(status),
                       standardOutput: String(decoding: outputEnd.flatMap { buffers[$0] } ?? [], as: UTF8.self),
                       standardError: String(decoding: errorEnd.flatMap { buffers[$0] } ?? [], as: UTF8.self),
                       timedOut: timedOut)
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
