import Foundation
import Kea
import KeaTestSupport
import Testing

/// SIGTERM (a systemd stop, a timeout) at each step of `kea-netbox install`, against a real Kea that refuses the new
/// file: before the rename the run stops and nothing changes; after it the run finishes the reload and the rollback,
/// so the server serves the previous configuration, and the next run has nothing left to repair. SIGKILL after the
/// rename leaves the install pending, and the next run settles it with the server first.
@Suite struct InterruptedInstallTests {
    /// A DHCPv4 configuration with `count` reservations, its socket and lease file in `folder`; `refused` makes the
    /// lease file a folder, which `kea-dhcp4 -t` accepts and every server's reload fails on (after reading the
    /// whole file, so a large one keeps the reload busy long enough to be interrupted).
    static func config(_ folder: TemporaryFolder, count: Int, refused: Bool = false) -> String {
        let leases = folder.url.appendingPathComponent(refused ? "leases-folder" : "leases4.csv").path
        let reservations = (1...count).map { index in
            #"{"hw-address": "02:00:00:00:\#(String(format: "%02x:%02x", index / 256, index % 256))", "ip-address": "\#(address(index))"}"#
        }.joined(separator: ",\n")
        return """
        {"Dhcp4": {
          "interfaces-config": {"interfaces": []},
          "control-socket": {"socket-type": "unix", "socket-name": "\(folder.url.appendingPathComponent("kea4.sock").path)"},
          "lease-database": {"type": "memfile", "name": "\(leases)", "lfc-interval": 0},
          "subnet4": [{"id": 1, "subnet": "10.0.0.0/8", "reservations": [
        \(reservations)
          ]}]
        }}

        """
    }

    /// The address of reservation `index` (from 1) in `10.0.0.0/8`.
    static func address(_ index: Int) -> String { "10.\(index / 65536).\(index / 256 % 256).\(index % 256)" }

    /// What the tests share: a folder, a running Kea serving `good` from the output, and templates (plain text: a
    /// template without tags renders as itself) for the good and the refused configuration.
    struct Setup {
        let folder: TemporaryFolder
        let kea: KeaUnderTest
        let output: String
        let good: String
        let goodTemplate: URL
        let refusedTemplate: URL
        let snapshot: URL
        let server: RunningKea
        let count: Int
        var environment: [String: String] { kea.environment(folder: folder.url.path) }

        init(kea: KeaUnderTest, count: Int = 8_000) throws {
            self.kea = kea
            self.count = count
            folder = try TemporaryFolder()
            try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("leases-folder"),
                                                    withIntermediateDirectories: false)
            output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
            good = InterruptedInstallTests.config(folder, count: count)
            try Data(good.utf8).write(to: URL(fileURLWithPath: output))
            goodTemplate = try folder.write("good.tmpl", good)
            // Different reservations too, so that a restored file is told from the refused one by its content.
            refusedTemplate = try folder.write("refused.tmpl", InterruptedInstallTests.config(folder, count: count + 1, refused: true))
            snapshot = try folder.write("empty.json", #"{"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"}, "prefixes": [], "ip_ranges": [], "reservations": []}"#)
            let program = try #require(kea.program("kea-dhcp4"))
            server = try RunningKea(program: URL(fileURLWithPath: program), config: output, folder: folder,
                                    socketPath: folder.url.appendingPathComponent("kea4.sock").path, kea: kea)
        }

        func arguments(_ template: URL, _ extra: [String] = []) -> [String] {
            ["install", template.path, "--data", snapshot.path, "--output", output] + extra
        }

        /// Starts an install, waits until `ready` says the moment has come, sends `signal`, and returns how it ended.
        func interrupt(_ template: URL, _ extra: [String] = [], signal: Int32, when ready: () -> Bool) throws -> CommandResult {
            let process = Process()
            process.executableURL = try CommandRunner.keaNetbox
            process.arguments = arguments(template, extra)
            process.environment = environment
            let errors = folder.url.appendingPathComponent("stderr-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
            let deadline = ContinuousClock.now + .seconds(120)
            // First until the run has its handler (a signal before that just ends the process, as it should, and
            // proves nothing about the install), then until the moment the test wants.
            while signal != SIGKILL, !Self.catches(signal, pid: process.processIdentifier), process.isRunning,
                  ContinuousClock.now < deadline {
                usleep(1_000)
            }
            while !ready(), process.isRunning, ContinuousClock.now < deadline { usleep(1_000) }
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            return CommandResult(status: process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus,
                                 stdout: "", stderr: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
        }

        /// Whether the process has a handler for `signal` (the SigCgt mask in /proc/PID/status).
        static func catches(_ signal: Int32, pid: pid_t) -> Bool {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
                  let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
            else { return false }
            return mask & (1 << UInt64(signal - 1)) != 0
        }

        var statePending: Bool { (try? InstallState.read(for: output))??.status == .pending }

        /// The output's inode: a rename over it gives a new one.
        var inode: UInt64? {
            var info = stat()
            return stat(output, &info) == 0 ? UInt64(info.st_ino) : nil
        }

        var installed: String? { try? String(contentsOfFile: output, encoding: .utf8) }

        var stagedFiles: [String] { ((try? folder.entries()) ?? []).filter { $0.hasPrefix(".kea-dhcp4.conf.kea-netbox-") } }

        /// Serving again means: answering, with the good configuration's reservations.
        func servesTheGoodConfiguration() throws -> Bool {
            let reply = try ControlSocketClient(path: server.socketPath, timeout: .seconds(30)).send(command: "config-get")
            return reply.contains("\"result\": 0") && reply.contains("\"\(InterruptedInstallTests.address(count))\"")
                && !reply.contains("\"\(InterruptedInstallTests.address(count + 1))\"")
        }
    }

    @Test func sigtermWhileWaitingForTheLockChangesNothing() throws {
        guard Prerequisites.usable(.host) else { return }
        let setup = try Setup(kea: .host, count: 10)
        let lock = try InstallLock(output: setup.output)
        let marker = setup.output + ".lock"
        let before = try String(contentsOfFile: marker, encoding: .utf8)

        // The lock file gets the waiting run's pid only once it holds the lock; until then it holds ours.
        var polls = 0
        let result = try setup.interrupt(setup.refusedTemplate, signal: SIGTERM) { polls += 1; return polls > 300 }

        withExtendedLifetime(lock) {}
        #expect(result.status == 143, "\(result.stderr)")
        #expect(result.stderr.contains("SIGTERM: stopped before anything was installed; nothing changed"), "\(result.stderr)")
        let unchanged = setup.installed == setup.good
        #expect(unchanged, "the output holds the good configuration")
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == before)
    }

    /// Whether a process is alive (a zombie no longer is).
    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    @Test func sigtermDuringTheCheckStopsTheCheckRemovesTheStagedFileAndChangesNothing() throws {
        guard Prerequisites.usable(.host) else { return }
        let setup = try Setup(kea: .host, count: 10)
        let marker = setup.folder.url.appendingPathComponent("checking").path

        // The check says it runs (with its pid), then, unless it is stopped, leaves a trace when it goes on.
        let after = setup.folder.url.appendingPathComponent("checked-on").path
        let check = "echo $$ > '\(marker).tmp'; mv '\(marker).tmp' '\(marker)'; sleep 20; touch '\(after)'; kea-dhcp4 -t {}"
        let result = try setup.interrupt(setup.refusedTemplate, ["--check", check], signal: SIGTERM) {
            FileManager.default.fileExists(atPath: marker)
        }

        let checker = try #require(pid_t(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let deadline = ContinuousClock.now + .seconds(30)
        while Self.alive(checker), ContinuousClock.now < deadline { usleep(10_000) }
        #expect(!FileManager.default.fileExists(atPath: after), "the check command was stopped with the run")
        #expect(result.status == 143, "\(result.stderr)")
        #expect(result.stderr.contains("stopped before anything was installed"), "\(result.stderr)")
        let unchanged = setup.installed == setup.good
        #expect(unchanged, "the output holds the good configuration")
        let staged = setup.stagedFiles
        #expect(staged.isEmpty)
        #expect(try InstallState.read(for: setup.output) == nil, "nothing was ever installed")
        let serving = try setup.servesTheGoodConfiguration()
        #expect(serving, "the server serves the good configuration")
    }

    @Test(arguments: KeaUnderTest.all)
    func sigtermAfterTheRenameFinishesTheRollbackAndTheNextRunIsClean(kea: KeaUnderTest) throws {
        guard Prerequisites.usable(kea) else { return }
        let setup = try Setup(kea: kea)

        let before = setup.inode
        let result = try setup.interrupt(setup.refusedTemplate, signal: SIGTERM) { setup.inode != before }

        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains("SIGTERM received after the new file was installed: finishing the reload"), "\(result.stderr)")
        #expect(result.stderr.contains("the previous configuration was restored"), "\(result.stderr)")
        let unchanged = setup.installed == setup.good
        #expect(unchanged, "the output holds the good configuration")
        let serving = try setup.servesTheGoodConfiguration()
        #expect(serving, "the server serves the good configuration")

        let next = try CommandRunner.keaNetbox(setup.arguments(setup.goodTemplate), environment: setup.environment)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("is up to date"), "\(next.stdout)")
        #expect(!next.stderr.contains("never confirmed"), "nothing left to settle: \(next.stderr)")
    }

    @Test(arguments: KeaUnderTest.all)
    func sigkillAfterTheRenameIsSettledWithTheServerByTheNextRun(kea: KeaUnderTest) throws {
        guard Prerequisites.usable(kea) else { return }
        let setup = try Setup(kea: kea)

        let before = setup.inode
        let killed = try setup.interrupt(setup.refusedTemplate, signal: SIGKILL) { setup.inode != before }
        #expect(killed.status == 128 + SIGKILL)
        let pending = setup.statePending
        #expect(pending, "the killed run never saw the server's answer")
        // Give the server the time to fail the reload it may have been sent (it then serves nobody).
        _ = try? ControlSocketClient(path: setup.server.socketPath, timeout: .seconds(60)).send(command: "status-get")

        let next = try CommandRunner.keaNetbox(setup.arguments(setup.goodTemplate), environment: setup.environment)

        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("never confirmed loaded"), "\(next.stderr)")
        #expect(next.stderr.contains("the server refused it now"), "\(next.stderr)")
        #expect(next.stderr.contains("the previous file was restored"), "\(next.stderr)")
        let unchanged = setup.installed == setup.good
        #expect(unchanged, "the output holds the good configuration")
        let serving = try setup.servesTheGoodConfiguration()
        #expect(serving, "the server serves the good configuration")
        #expect(try InstallState.read(for: setup.output)?.status == .settled)
    }

    /// Kea ≥ 2.4 tells what it runs: a killed run's file that the server has loaded since (here: someone reloaded it)
    /// is recognised by the changed `config-hash-get` and not reloaded again; Kea 2.2 has no hash, so it is reloaded.
    @Test(arguments: KeaUnderTest.all)
    func aFileTheServerLoadedSinceIsRecognisedByItsConfigHash(kea: KeaUnderTest) throws {
        guard Prerequisites.usable(kea) else { return }
        let version = try #require(KeaVersion(versionOutput: kea.version))
        let setup = try Setup(kea: kea)
        let newer = try setup.folder.write("newer.tmpl", InterruptedInstallTests.config(setup.folder, count: setup.count + 1))

        let before = setup.inode
        _ = try setup.interrupt(newer, signal: SIGKILL) { setup.inode != before }
        let pending = setup.statePending
        #expect(pending, "the killed run never saw the server's answer")
        _ = try ControlSocketClient(path: setup.server.socketPath, timeout: .seconds(60)).send(command: "config-reload")

        let next = try CommandRunner.keaNetbox(setup.arguments(newer), environment: setup.environment)

        #expect(next.status == 0, "\(next.stderr)")
        let expected = version.hasConfigHash ? "the server's configuration hash has changed since, so it runs it" : "reloaded it now via control socket"
        #expect(next.stderr.contains(expected), "\(next.stderr)")
        #expect(next.stdout.contains("is up to date"), "\(next.stdout)")
        let reply = try ControlSocketClient(path: setup.server.socketPath, timeout: .seconds(30)).send(command: "config-get")
        #expect(reply.contains("\"\(InterruptedInstallTests.address(setup.count + 1))\""), "the server runs the newer file")
        #expect(try InstallState.read(for: setup.output)?.status == .settled)
    }

    @Test func anInstallNoServerLoadedExitsSixAndTheNextRunRetries() throws {
        guard Prerequisites.usable(.host) else { return }
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let template = try folder.write("t.tmpl", Self.config(folder, count: 2))
        let snapshot = try folder.write("empty.json", #"{"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"}, "prefixes": [], "ip_ranges": [], "reservations": []}"#)
        let arguments = ["install", template.path, "--data", snapshot.path, "--output", output]

        let first = try CommandRunner.keaNetbox(arguments)
        #expect(first.status == 6, "installed, not loaded: \(first.stdout) \(first.stderr)")
        #expect(first.stdout.contains("not reloaded: server not running"), "\(first.stdout)")

        let second = try CommandRunner.keaNetbox(arguments)
        #expect(second.status == 6, "still not loaded: \(second.stdout) \(second.stderr)")
        #expect(second.stdout.contains("NOT confirmed loaded"), "\(second.stdout)")

        let program = try #require(KeaUnderTest.host.program("kea-dhcp4"))
        let server = try RunningKea(program: URL(fileURLWithPath: program), config: output, folder: folder,
                                    socketPath: folder.url.appendingPathComponent("kea4.sock").path)
        let third = try CommandRunner.keaNetbox(arguments)
        #expect(third.status == 0, "\(third.stdout) \(third.stderr)")
        #expect(third.stderr.contains("reloaded it now via control socket"), "\(third.stderr)")
        withExtendedLifetime(server) {}
    }
}
