import Foundation

/// A PostgreSQL cluster of the test's own (not the shared one of scripts/test), for tests that stop and start the
/// server under a running kea-netbox. Unix socket only, in its own temporary folder; removed when the value goes.
final class PrivateCluster {
    let folder: String
    private let binaries: String
    private let runAs: [String]

    init() throws {
        guard let binaries = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .sorted().last.map({ "/usr/lib/postgresql/\($0)/bin" }),
              FileManager.default.isExecutableFile(atPath: binaries + "/initdb") else {
            throw TestClusterError(message: "PostgreSQL server binaries not found (apt-get install postgresql)")
        }
        self.binaries = binaries
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kea-netbox-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        // initdb refuses root: as root, the cluster belongs to the postgres system user.
        runAs = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        if getuid() == 0 { _ = try CommandRunner.run(URL(fileURLWithPath: "/bin/chown"), ["postgres", folder]) }
        try run(binaries + "/initdb", ["-D", folder + "/data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"])
        try start()
    }

    deinit {
        _ = try? run(binaries + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    func start() throws {
        try run(binaries + "/pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-o",
                                       "-c listen_addresses='' -c unix_socket_directories='\(folder)' -c fsync=off", "start"])
    }

    /// `fast`: ends the sessions and shuts down cleanly; `immediate`: as a crash (the table counters are lost).
    func stop(mode: String = "fast") throws {
        try run(binaries + "/pg_ctl", ["-D", folder + "/data", "-m", mode, "-w", "stop"])
    }

    /// The server that `pg_ctl start` leaves running must not inherit the pipes CommandRunner reads to their end, nor
    /// the descriptor Foundation's Process watches the child with (it would wait for the server's end): the shell
    /// closes every descriptor above 2 and sends the output to a file.
    private func run(_ program: String, _ arguments: [String]) throws {
        let quoted = (runAs + [program] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let log = folder + "/commands.log"
        let closeAll = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done; "
        let result = try CommandRunner.run(URL(fileURLWithPath: "/bin/bash"),
                                           ["-c", closeAll + quoted.joined(separator: " ") + " </dev/null >>'\(log)' 2>&1"])
        guard result.status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestClusterError(message: "\((program as NSString).lastPathComponent): \(text.suffix(1500))")
        }
    }
}
