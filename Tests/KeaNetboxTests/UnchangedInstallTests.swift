import Foundation
import Kea
import KeaTestSupport
import Testing

/// `install` when nothing changed, through the executable: once the files have settled the run compares their
/// stamps instead of reading them (`FileStamp`), and still sees every edit — of the installed file, of the snapshot,
/// of the template — and another Kea. The real `kea-dhcp4 -t` checks the installs.
@Suite struct UnchangedInstallTests {
    static let skipped = "not read, not rendered, not reloaded"

    final class Setup {
        let folder: TemporaryFolder
        let template: String
        let snapshot: String
        let output: String

        init?() throws {
            guard Prerequisites.available("kea-dhcp4") != nil else { return nil }
            folder = try TemporaryFolder()
            template = try InstallCommandTests().portableTemplate(in: folder).path
            let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json")
            snapshot = try folder.write("snapshot.json", try String(contentsOf: demo, encoding: .utf8)).path
            output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        }

        func install(environment: [String: String] = [:]) throws -> CommandResult {
            let result = try CommandRunner.keaNetbox(["install", template, "--data", snapshot, "--output", output,
                                                      "--reload", "none"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            return result
        }

        var state: String { (try? String(contentsOfFile: output + ".kea-netbox-state", encoding: .utf8)) ?? "" }

        /// Installed, then settled: the run after the settle time records the stamps, the runs after it use them.
        func installAndSettle() throws {
            #expect(try install().stdout.contains("installed \(output)"))
            #expect(!state.contains("\"stamp\""), "a file written this moment has no stamp to record")
            Thread.sleep(forTimeInterval: Double(FileStamp.settleTime) / 1e9 + 0.2)
            #expect(try install().stdout.contains(UnchangedInstallTests.skipped))
            #expect(state.contains("\"stamp\""), "\(state)")
            #expect(try install().stdout.contains(UnchangedInstallTests.skipped))
        }

        /// Rewrites `path` in place with one substitution of the same length (size unchanged).
        func edit(_ path: String, replacing old: String, with new: String) throws {
            #expect(old.utf8.count == new.utf8.count)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains(old))
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.write(contentsOf: Data(text.replacingOccurrences(of: old, with: new).utf8))
            try handle.close()
        }
    }

    @Test func aHandEditOfTheInstalledFileIsSeenThoughItKeepsItsSize() throws {
        guard let setup = try Setup() else { return }
        try setup.installAndSettle()
        let installed = try String(contentsOfFile: setup.output, encoding: .utf8)
        try setup.edit(setup.output, replacing: "web1.ams1.example.net", with: "web9.ams1.example.net")
        let next = try setup.install()
        #expect(next.stdout.contains("installed \(setup.output): +0 -0 ~1 reservations"), "\(next.stdout)")
        #expect(try String(contentsOfFile: setup.output, encoding: .utf8) == installed)
    }

    @Test func aSameSizeEditOfTheSnapshotIsSeen() throws {
        guard let setup = try Setup() else { return }
        try setup.installAndSettle()
        try setup.edit(setup.snapshot, replacing: "\"web1.ams1.example.net\"", with: "\"web7.ams1.example.net\"")
        let next = try setup.install()
        #expect(next.stdout.contains("installed \(setup.output): +0 -0 ~1 reservations"), "\(next.stdout)")
        #expect(try String(contentsOfFile: setup.output, encoding: .utf8).contains("web7.ams1.example.net"))
    }

    @Test func aTemplateEditIsSeenAfterTheStampsAreRecorded() throws {
        guard let setup = try Setup() else { return }
        try setup.installAndSettle()
        try setup.edit(setup.template, replacing: "{{ r.hostname }}", with: "{{ r.dns_name }}")
        let next = try setup.install()
        #expect(!next.stdout.contains(Self.skipped), "\(next.stdout)")
    }

    /// The installed Kea is asked for its version only by a run that renders: which programs answer, and their
    /// files, stand for it in between.
    @Test func anotherKeaIsAChange() throws {
        let other = KeaUnderTest.chroot("trixie")
        guard Prerequisites.usable(other), let setup = try Setup() else { return }
        try setup.installAndSettle()
        let environment = other.environment(folder: setup.folder.url.path)
        let next = try setup.install(environment: environment)
        #expect(!next.stdout.contains(Self.skipped), "\(next.stdout)")
        #expect(try setup.install(environment: environment).stdout.contains(Self.skipped))
    }
}
