import Foundation
import KeaTestSupport
import Testing
@testable import Kea

/// A file installed but never confirmed loaded (the server was down, or the run died between the rename and the
/// reload's answer) is settled by the next run before anything else: reloaded, or, when the server refuses it now,
/// replaced by the file it replaced.
@Suite(.enabled(if: KeaTestEnvironment.runKeaTests, "kea-dhcp4 not installed (set KEA_NETBOX_REQUIRE_ALL=1 to fail instead)"))
struct InstallStateTests {
    /// Installs `text` with the reload pointed at a socket nobody listens on: what a run sees when the server is
    /// down, and what a run killed after the rename leaves (the new file in place, the state pending).
    func installUnconfirmed(_ text: String, server: KeaServer, kea: KeaUnderTest) throws -> InstallReport {
        var options = kea.options(server.configPath, folder: server.folder)
        options.reload = .controlSocket(path: server.folder.file("nobody.sock"))
        return try Installer(options: options).install(text)
    }

    @Test(arguments: KeaUnderTest.all)
    func theNextRunReloadsAnUnconfirmedInstall(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...1))
        let server = try KeaServer(.v4, folder: folder, config: original, kea: kea)
        let new = keaConfig(.v4, folder: folder, hosts: hosts(1...2))
        let first = try installUnconfirmed(new, server: server, kea: kea)
        #expect(first.notLoaded != nil)
        #expect(try server.reservedAddresses() == ["192.0.2.11"], "the server has not seen the new file yet")

        let next = try Installer(options: kea.options(server.configPath, folder: folder)).install(new)

        #expect(next.action == .unchanged)
        #expect(next.notLoaded == nil)
        #expect(next.notes.contains { $0.contains("never confirmed loaded") && $0.contains("reloaded it now via control socket \(server.socketPath)") },
                "\(next.notes)")
        #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
        #expect(try InstallState.read(for: server.configPath)?.status == .settled)

        let third = try Installer(options: kea.options(server.configPath, folder: folder)).install(new)
        #expect(third.notes.isEmpty, "settled: nothing more to say")
    }

    @Test(arguments: KeaUnderTest.all)
    func aFileTheServerRefusesNowIsReplacedByThePreviousOne(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...2))
        let server = try KeaServer(.v4, folder: folder, config: original, kea: kea)
        // Accepted by `-t` and the checks, refused by the server's reload.
        let refused = keaConfig(.v4, folder: folder, hosts: hosts(1...3), leaseFile: try refusedLeaseFile(in: folder))
        _ = try installUnconfirmed(refused, server: server, kea: kea)
        #expect(fileText(server.configPath) == refused)

        // The next run (rendering the original again) settles the earlier install first.
        let next = try Installer(options: kea.options(server.configPath, folder: folder)).install(original)

        #expect(next.notes.contains { $0.contains("the server refused it now") && $0.contains("the previous file was restored") },
                "\(next.notes)")
        #expect(next.action == .unchanged, "the restored file is what this run renders")
        #expect(fileText(server.configPath) == original)
        #expect(server.answers())
        #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
        #expect(try InstallState.read(for: server.configPath)?.status == .settled)
    }

    @Test func aServerStillDownKeepsTheInstallUnconfirmed() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let text = keaConfig(.v4, folder: folder, hosts: hosts(1...1))
        _ = try Installer(options: Installer.Options(output: output)).install(text)

        let next = try Installer(options: Installer.Options(output: output)).install(text)

        #expect(next.action == .unchanged)
        #expect(next.notLoaded?.contains("kea4.sock") == true)
        #expect(next.summaryLine.contains("NOT confirmed loaded"), "\(next.summaryLine)")
        #expect(next.notes.contains { $0.contains("still not reloaded: server not running") }, "\(next.notes)")
        #expect(try InstallState.read(for: output)?.status == .pending)
    }

    @Test func aDryRunOnlySaysThatAnInstallIsUnconfirmed() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let text = keaConfig(.v4, folder: folder, hosts: hosts(1...1))
        _ = try Installer(options: Installer.Options(output: output)).install(text)
        var options = Installer.Options(output: output)
        options.dryRun = true

        let dry = try Installer(options: options).install(keaConfig(.v4, folder: folder, hosts: hosts(1...2)))

        #expect(dry.notes.contains { $0.contains("a run without --dry-run reloads it") }, "\(dry.notes)")
        #expect(try InstallState.read(for: output)?.status == .pending)
        #expect(fileText(output) == text)
    }

    @Test func aFileChangedByHandSinceEndsTheUnconfirmedInstall() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        _ = try Installer(options: Installer.Options(output: output)).install(keaConfig(.v4, folder: folder, hosts: hosts(1...1)))
        let byHand = keaConfig(.v4, folder: folder, hosts: hosts(1...2))
        try byHand.write(toFile: output, atomically: true, encoding: .utf8)
        var options = Installer.Options(output: output)
        options.reload = .none

        let next = try Installer(options: options).install(byHand)

        #expect(next.notes.contains { $0.contains("the file there now is another one") }, "\(next.notes)")
        #expect(next.notLoaded == nil)
        #expect(try InstallState.read(for: output) == nil)
    }

    @Test func aForeignStateFileStopsTheRunWithItsName() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        try "{\"format\": \"something-else/9\"}".write(toFile: InstallState.path(for: output), atomically: true, encoding: .utf8)

        let error = installError { try Installer(options: Installer.Options(output: output)).install(keaConfig(.v4, folder: folder, hosts: hosts(1...1))) }

        #expect(error?.exitCode == 1)
        #expect(error?.description.contains(InstallState.path(for: output)) == true)
        #expect(fileText(output) == nil, "nothing installed")
    }
}

/// The digest of a file read a piece at a time (the snapshot file among an install's inputs) is the digest of its
/// bytes: a file of several read sizes, and one that cannot be read.
@Suite struct FileDigestTests {
    @Test func aFileReadInPiecesHasTheDigestOfItsBytes() throws {
        let folder = try TestFolder()
        let bytes = (0..<(3 << 20) + 12345).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let path = folder.file("big.json")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(InstallState.digest(ofFileAt: path) == InstallState.digest(of: bytes))
        #expect(InstallState.digest(ofFileAt: path)?.hasSuffix(":\(bytes.count)") == true)
        let empty = folder.file("empty")
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(InstallState.digest(ofFileAt: empty) == InstallState.digest(of: []))
    }

    @Test func aMissingFileOrAFolderHasNoDigest() throws {
        let folder = try TestFolder()
        #expect(InstallState.digest(ofFileAt: folder.file("nothing-here")) == nil)
        #expect(InstallState.digest(ofFileAt: folder.path) == nil)
    }
}
