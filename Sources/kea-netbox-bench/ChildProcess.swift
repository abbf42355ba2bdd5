import Foundation

/// One whole process, timed from spawn to exit, with its own CPU time and peak memory from `wait4`'s rusage:
/// the side-by-side bench compares programs (kea-netbox, Python with Jinja2, psql, kea-dhcp4) as an operator's
/// timer would run them, process start and library loading included.
struct ChildProcess {
    struct Usage {
        let status: Int32
        let wall: Double
        /// User plus system time of the child alone (the PostgreSQL server's share of a read is not in it).
        let cpu: Double
        /// ru_maxrss of the child, in bytes.
        let peakRSS: Int
        /// True when `peakRSS` is only an upper bound: Linux hands a child started by `posix_spawn` (vfork, then
        /// exec) the high-water mark of the bench's own memory, so a child that stays below the bench's resident
        /// size reports the bench's.
        let peakRSSIsBound: Bool
        /// What the child wrote on stderr (and stdout when not sent to a file), for failure messages.
        let messages: String
    }

    let executable: String
    let arguments: [String]
    var environment: [String: String] = [:]
    /// Where stdout goes; nil: captured with stderr for messages.
    var standardOutput: String? = "/dev/null"

    func run(in folder: TemporaryFolder) throws -> Usage {
        let messagesPath = folder.path + "/child-messages"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, messagesPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let standardOutput {
            posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 2, 1)
        }
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        // The mark the child inherits, lowered to what the bench holds now (not its own earlier peaks).
        Measure.resetPeak()
        let inherited = Measure.peakRSS() ?? 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchFailure("cannot start \(executable): errno \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchFailure("waiting for \(executable) failed: errno \(errno)") }
        }
        let wall = Measure.seconds(ContinuousClock.now - start)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let messages = (try? String(contentsOfFile: messagesPath, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS are macros Swift does not import.
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let peak = usage.ru_maxrss * 1024
        return Usage(status: exitStatus, wall: wall, cpu: cpu, peakRSS: peak, peakRSSIsBound: peak <= inherited,
                     messages: messages)
    }

    /// Like `run`, but a non-zero exit is an error naming the step.
    func check(_ step: String, in folder: TemporaryFolder) throws -> Usage {
        let usage = try run(in: folder)
        guard usage.status == 0 else {
            throw BenchFailure("\(step) failed (exit \(usage.status)): \(usage.messages.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000))")
        }
        return usage
    }
}
