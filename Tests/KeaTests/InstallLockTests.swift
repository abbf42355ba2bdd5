import Foundation
import Testing
@testable import Kea

/// The lock and crash safety: a second install waits, a killed run releases the lock and leaves only a
/// recognisable temporary file that the next run removes.
@Suite struct InstallLockTests {
    /// Holds `<output>.lock` in another process with util-linux `flock`, like a second kea-netbox would.
    func holdLock(_ output: String, seconds: Double) throws -> pid_t {
        let flock = try #require(ProcessRunner.findExecutable("flock"), "util-linux flock is not installed")
        let pid = try ProcessRunner.spawn(flock, [output + ".lock", "sleep", String(seconds)], output: .file("/dev/null"), error: .file("/dev/null")).pid
        // Wait until the other process really holds it.
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            do {
                _ = try InstallLock(output: output, timeout: .zero)
                usleep(10_000)
            } catch {
                return pid
            }
        }
        throw KeaServer.ServerError(message: "flock never took the lock")
    }

    func reap(_ pid: pid_t) {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    @Test func secondLockWaitsUntilTheFirstIsReleased() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let holder = try holdLock(output, seconds: 0.4)
        let start = ContinuousClock.now

        let lock = try InstallLock(output: output, timeout: .seconds(10))

        #expect(ContinuousClock.now - start >= .milliseconds(250))
        #expect(lock.path == output + ".lock")
        reap(holder)
    }

    @Test func lockTimeoutNamesTheLockFile() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let holder = try holdLock(output, seconds: 30)
        defer { kill(-holder, SIGKILL); reap(holder) }

        let error = #expect(throws: InstallError.self) { try InstallLock(output: output, timeout: .milliseconds(200)) }

        #expect(error?.exitCode == 1)
        #expect(error?.description.contains(output + ".lock") == true)
    }

    @Test func killedHolderReleasesTheLockAtOnce() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let holder = try holdLock(output, seconds: 60)

        // flock runs `sleep` with the locked descriptor: kill the whole group, as a killed run would die.
        kill(-holder, SIGKILL)
        reap(holder)
        // The holder would keep it for 60 s: the lock is taken as soon as the killed processes are gone (the bound
        // only allows for the kernel reaping the group), never by waiting the holder out.
        _ = try InstallLock(output: output, timeout: .seconds(5))
    }

    @Test func concurrentInstallsSerialiseAndLeaveOneWholeFile() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let texts = [keaConfig(.v4, folder: folder, hosts: hosts(1...150)), keaConfig(.v4, folder: folder, hosts: hosts(1...220))]
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            do {
                let lock = try InstallLock(output: output, timeout: .seconds(30))
                var options = Installer.Options(output: output)
                options.reload = .none
                options.check = .none
                let report = try withExtendedLifetime(lock) { try Installer(options: options).install(texts[index]) }
                results.append("\(report.action.rawValue) +\(report.added) -\(report.removed)")
            } catch {
                results.append("error: \(error)")
            }
        }
        // Serialised: the second install compares against what the first one installed.
        let sequences = [["installed +150 -0", "installed +70 -0"], ["installed +0 -70", "installed +220 -0"]]
        #expect(sequences.contains(results.values.sorted()))
        #expect(texts.contains(fileText(output) ?? ""))
        #expect(!folder.names().contains { $0.hasPrefix(".kea-dhcp4.conf.kea-netbox-") })
    }

    @Test func writerKilledMidFileLeavesTheDestinationWholeAndTheNextRunCleansUp() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let old = keaConfig(.v4, folder: folder, hosts: hosts(1...3))
        try old.write(toFile: output, atomically: false, encoding: .utf8)
        // A run killed while writing its staged file: same name pattern, killed with SIGKILL half-way.
        let staged = folder.file(".kea-dhcp4.conf.kea-netbox-Ab12Cd")
        let dd = try ProcessRunner.spawn("/bin/dd", ["if=/dev/zero", "of=\(staged)", "bs=1M", "count=4000"],
                                         output: .file("/dev/null"), error: .file("/dev/null")).pid
        let deadline = ContinuousClock.now + .seconds(5)
        while (try? FileManager.default.attributesOfItem(atPath: staged)[.size] as? Int) ?? 0 < 1 << 20, ContinuousClock.now < deadline {
            usleep(5_000)
        }
        kill(dd, SIGKILL)
        reap(dd)
        #expect(fileText(output) == old)
        #expect(FileManager.default.fileExists(atPath: staged))
        usleep(20_000)

        var options = Installer.Options(output: output)
        options.reload = .none
        options.check = .none
        let new = keaConfig(.v4, folder: folder, hosts: hosts(1...4))
        _ = try Installer(options: options).install(new)

        #expect(fileText(output) == new)
        #expect(!FileManager.default.fileExists(atPath: staged))
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ value: String) { lock.withLock { stored.append(value) } }
    var values: [String] { lock.withLock { stored } }
}

@Suite struct ProcessRunnerTests {
    @Test func childrenStartWithAnEmptySignalMask() throws {
        // Run from a Dispatch worker, whose threads block signals: the child must not inherit that.
        let box = ResultBox()
        DispatchQueue.global().sync {
            let outcome = try? ProcessRunner.run("/bin/sh", ["-c", "grep SigBlk /proc/self/status"], timeout: .seconds(10))
            box.append(outcome?.standardOutput ?? "")
        }
        #expect(box.values == ["SigBlk:\t0000000000000000\n"])
    }

    @Test func capturesBothStreamsAndTheStatus() throws {
        let outcome = try ProcessRunner.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
        #expect((outcome.standardOutput, outcome.standardError, outcome.status, outcome.timedOut) == ("out\n", "err\n", 3, false))
    }

    @Test func timeOutStopsTheChild() throws {
        let outcome = try ProcessRunner.run("/bin/sh", ["-c", "sleep 30"], timeout: .milliseconds(200))
        #expect(outcome.timedOut)
    }

    @Test func shellQuotingSurvivesQuotes() throws {
        let word = "it's $(here) \"now\""
        let outcome = try ProcessRunner.run("/bin/sh", ["-c", "printf %s " + ProcessRunner.shellQuoted(word)], timeout: .seconds(10))
        #expect(outcome.standardOutput == word)
    }
}

@Suite struct AtomicFileTests {
    @Test func staleTemporariesAreRemovedButOtherFilesKept() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        for name in [".kea-dhcp4.conf.kea-netbox-Ab12Cd", "kea-dhcp4.conf", ".kea-dhcp6.conf.kea-netbox-Ab12Cd", "notes.txt"] {
            try "x".write(toFile: folder.file(name), atomically: false, encoding: .utf8)
        }
        usleep(10_000)

        let removed = AtomicFile.removeStaleTemporaries(beside: output, olderThan: Date())

        #expect(removed == [folder.file(".kea-dhcp4.conf.kea-netbox-Ab12Cd")])
        #expect(folder.names() == [".kea-dhcp6.conf.kea-netbox-Ab12Cd", "kea-dhcp4.conf", "notes.txt"])
    }
}
