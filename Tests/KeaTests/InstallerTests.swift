import Foundation
import KeaTestSupport
import Testing
@testable import Kea

/// The install sequence against a real kea-dhcp4 (DESIGN §6 steps 4–11).
@Suite(.enabled(if: KeaTestEnvironment.runKeaTests, "kea-dhcp4 / kea-dhcp6 not installed (set KEA_NETBOX_REQUIRE_ALL=1 to fail instead)"))
struct InstallerTests {
    func installer(_ output: String, _ configure: (inout Installer.Options) -> Void = { _ in }) -> Installer {
        var options = Installer.Options(output: output)
        configure(&options)
        return Installer(options: options)
    }

    @Test(arguments: KeaUnderTest.all)
    func installReloadsTheServerWithTheNewReservations(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...2)), kea: kea)
        #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])

        let report = try Installer(options: kea.options(server.configPath, folder: folder))
            .install(keaConfig(.v4, folder: folder, hosts: hosts(2...4)))

        #expect(report.action == .installed)
        #expect(try server.reservedAddresses() == ["192.0.2.12", "192.0.2.13", "192.0.2.14"])
        #expect((report.added, report.removed, report.changed, report.subnets) == (2, 1, 0, 1))
        #expect(report.reloadOutcome == .reloaded(detail: "Configuration successful."))
        #expect(report.summaryLine.hasPrefix("installed \(server.configPath): +2 -1 ~0 reservations (3 in total), 1 subnet, reloaded via control socket \(server.socketPath), "))
    }

    @Test func sameTextTwiceWritesAndReloadsNothing() throws {
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...2)))
        let text = keaConfig(.v4, folder: folder, hosts: hosts(1...3))
        _ = try installer(server.configPath).install(text)
        let before = try #require(modificationTime(server.configPath))

        let report = try installer(server.configPath).install(text)

        let after = try #require(modificationTime(server.configPath))
        #expect(report.action == .unchanged)
        #expect(report.reloadOutcome == nil)
        #expect((before.tv_sec, before.tv_nsec) == (after.tv_sec, after.tv_nsec))
        #expect(report.summaryLine.contains("is up to date"))
    }

    @Test func semanticErrorIsRejectedAndTheServerKeepsItsConfig() throws {
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...2))
        let server = try KeaServer(.v4, folder: folder, config: original)
        let bad = keaConfig(.v4, folder: folder, hosts: [TestHost(mac: "02:00:00:00:00:01", ip: "192.0.2.20"),
                                                         TestHost(mac: "2:0:0:0:0:1", ip: "192.0.2.21"),
                                                         TestHost(mac: "02:00:00:00:00:03", ip: "198.51.100.1")])

        let error = installError { try installer(server.configPath).install(bad) }

        #expect(error?.exitCode == 4)
        guard case .findings(let findings)? = error else { Issue.record("expected findings, got \(String(describing: error))"); return }
        #expect(findings.map(\.path) == ["Dhcp4.subnet4[0].reservations[1]", "Dhcp4.subnet4[0].reservations[2]"])
        #expect(fileText(server.configPath) == original)
        #expect(server.answers())
        #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
    }

    @Test func checkCommandRejectionLeavesNoTemporaryFile() throws {
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...1))
        let server = try KeaServer(.v4, folder: folder, config: original)
        let namesBefore = folder.names()
        // Valid JSON, passes the semantic checks, but not a keyword Kea knows.
        let unknownKeyword = keaConfig(.v4, folder: folder, hosts: hosts(1...2), extra: "\n    \"no-such-keyword\": 1,")

        let error = installError { try installer(server.configPath).install(unknownKeyword) }

        #expect(error?.exitCode == 4)
        #expect(error?.description.contains("no-such-keyword") == true)
        // Kea's message names the destination, not the staged file.
        #expect(error?.description.contains(server.configPath) == true)
        #expect(folder.names() == namesBefore)
        #expect(fileText(server.configPath) == original)
        #expect(try server.reservedAddresses() == ["192.0.2.11"])
    }

    @Test(arguments: KeaUnderTest.all)
    func failedReloadRestoresThePreviousFile(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...2))
        let server = try KeaServer(.v4, folder: folder, config: original, kea: kea)
        let unwritable = keaConfig(.v4, folder: folder, hosts: hosts(1...3), leaseFile: try refusedLeaseFile(in: folder))

        let error = installError { try Installer(options: kea.options(server.configPath, folder: folder)).install(unwritable) }

        #expect(error?.exitCode == 5)
        #expect(error?.description.contains("Config reload failed") == true)
        #expect(error?.description.contains("the previous configuration was restored") == true)
        guard case .reloadFailed(_, let restored)? = error else { Issue.record("expected reloadFailed, got \(String(describing: error))"); return }
        #expect(restored)
        #expect(fileText(server.configPath) == original)
        #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
        #expect(!folder.names().contains { $0.hasPrefix(".kea-dhcp4.conf.kea-netbox-") })
        #expect(try InstallState.read(for: server.configPath)?.status == .settled)
        #expect(try InstallState.read(for: server.configPath)?.describes(Array(original.utf8)) == true)
    }

    @Test func emptyConfigIsRefusedWithoutForce() throws {
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...3))
        let server = try KeaServer(.v4, folder: folder, config: original)
        let empty = keaConfig(.v4, folder: folder, hosts: [])

        let error = installError { try installer(server.configPath).install(empty) }

        #expect(error?.exitCode == 4)
        #expect(error?.description.contains("has no reservations but the installed one has 3") == true)
        #expect(fileText(server.configPath) == original)
    }

    @Test func emptyConfigIsInstalledWithForce() throws {
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...3)))

        let report = try installer(server.configPath) { $0.force = true }.install(keaConfig(.v4, folder: folder, hosts: []))

        #expect(report.removed == 3)
        #expect(try server.reservedAddresses() == [])
    }

    @Test func removingMoreThanTheFractionIsRefused() throws {
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...4))
        let server = try KeaServer(.v4, folder: folder, config: original)

        let error = installError { try installer(server.configPath).install(keaConfig(.v4, folder: folder, hosts: hosts(1...1))) }

        #expect(error?.exitCode == 4)
        #expect(error?.description.contains("removes 3 of the 4 installed reservations (75%") == true)
        let relaxed = try installer(server.configPath) { $0.maxRemovedFraction = 0.8 }
            .install(keaConfig(.v4, folder: folder, hosts: hosts(1...1)))
        #expect(relaxed.action == .installed)
    }

    @Test func dryRunShowsADiffAndChangesNothing() throws {
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...1))
        let server = try KeaServer(.v4, folder: folder, config: original)
        let namesBefore = folder.names()

        let report = try installer(server.configPath) { $0.dryRun = true }.install(keaConfig(.v4, folder: folder, hosts: hosts(1...2)))

        #expect(report.action == .dryRun)
        #expect(report.summaryLine.contains("would reload via control socket \(server.socketPath)"))
        let diff = try #require(report.diff)
        #expect(diff.contains("--- \(server.configPath)\n+++ \(server.configPath) (new)\n"))
        #expect(diff.contains("+        {\"hw-address\": \"02:00:00:00:00:02\", \"ip-address\": \"192.0.2.12\"}"))
        #expect(fileText(server.configPath) == original)
        #expect(folder.names() == namesBefore)
        #expect(try server.reservedAddresses() == ["192.0.2.11"])
    }

    @Test func ownerAndModeOfTheReplacedFileAreKept() throws {
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...1)))
        #expect(chown(server.configPath, 65534, 65534) == 0)
        #expect(chmod(server.configPath, 0o604) == 0)

        _ = try installer(server.configPath).install(keaConfig(.v4, folder: folder, hosts: hosts(1...2)))

        var info = stat()
        #expect(stat(server.configPath, &info) == 0)
        #expect((info.st_uid, info.st_gid, info.st_mode & 0o7777) == (65534, 65534, 0o604))
        #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
    }

    @Test func missingControlSocketFailsBeforeAnythingChanges() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let text = #"{"Dhcp4": {"interfaces-config": {"interfaces": []}, "subnet4": [{"id": 1, "subnet": "192.0.2.0/24"}]}}"#

        let error = installError { try installer(output).install(text) }

        #expect(error?.exitCode == 1)
        #expect(error?.description.contains("no unix \"control-socket\"") == true)
        #expect(folder.names() == [])
    }

    @Test func newFileGetsMode0640() throws {
        let folder = try TestFolder()
        let output = folder.file("new.conf")

        _ = try installer(output) { $0.reload = .none }.install(keaConfig(.v4, folder: folder, hosts: hosts(1...1)))

        var info = stat()
        #expect(stat(output, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o640)
    }

    /// Debian's Kea runs as `_kea` and reads its configuration through the group (`root:_kea 0640`): a new file
    /// beside the file the server runs with gets that file's group and mode, so the server can read it.
    @Test func newFileTakesTheGroupAndModeOfTheKeaConfigurationBesideIt() throws {
        guard geteuid() == 0 else {
            if KeaTestEnvironment.requireAll { Issue.record("giving a file another group needs root but KEA_NETBOX_REQUIRE_ALL=1") }
            return
        }
        let folder = try TestFolder()
        let sibling = folder.file("kea-dhcp4.conf")
        try "{}".write(toFile: sibling, atomically: false, encoding: .utf8)
        let kea: gid_t = 65534 // nogroup: any group other than the folder's
        #expect(chown(sibling, 0, kea) == 0 && chmod(sibling, 0o640) == 0)
        let output = folder.file("kea-dhcp6.conf")

        _ = try installer(output) { $0.reload = .none }.install(keaConfig(.v6, folder: folder, hosts: hosts(1...1, family: .v6)))

        var info = stat()
        #expect(stat(output, &info) == 0)
        #expect(info.st_gid == kea)
        #expect(info.st_mode & 0o7777 == 0o640)
    }

    @Test func backupFolderKeepsABoundedNumberOfFiles() throws {
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...1)))
        let backups = folder.file("backups")
        for count in 2...6 {
            _ = try installer(server.configPath) { $0.backupDirectory = backups; $0.keepBackups = 3 }
                .install(keaConfig(.v4, folder: folder, hosts: hosts(1...count)))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: backups).sorted()
        #expect(names.count == 3)
        #expect(names.allSatisfy { $0.hasPrefix("kea-dhcp4.conf.") })
        // The newest backup is the file the last install replaced (five hosts).
        let newest = try #require(names.last)
        #expect(fileText(backups + "/" + newest) == keaConfig(.v4, folder: folder, hosts: hosts(1...5)))
    }

    @Test func defaultBackupFolderIsBesideTheOutput() throws {
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...1)))

        let report = try installer(server.configPath).install(keaConfig(.v4, folder: folder, hosts: hosts(1...2)))

        let backup = try #require(report.backupPath)
        #expect(backup.hasPrefix(folder.file(".kea-netbox-backups/kea-dhcp4.conf.")))
        #expect(fileText(backup) == keaConfig(.v4, folder: folder, hosts: hosts(1...1)))
    }

    @Test func serverNotRunningInstallsButIsNotConfirmed() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let text = keaConfig(.v4, folder: folder, hosts: hosts(1...1))

        let report = try installer(output).install(text)

        guard case .notRunning(let reason)? = report.reloadOutcome else { Issue.record("expected notRunning"); return }
        #expect(reason.contains("kea4.sock"))
        #expect(report.notLoaded == reason)
        #expect(report.summaryLine.contains("not reloaded: server not running"))
        let state = try #require(try InstallState.read(for: output))
        #expect(state.status == .pending)
        #expect(state.describes(Array(text.utf8)))
        #expect(fileText(output) == text)
    }

    @Test(arguments: KeaUnderTest.all)
    func dhcp6InstallReloadsKeaDhcp6(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let server = try KeaServer(.v6, folder: folder, config: keaConfig(.v6, folder: folder, hosts: hosts(1...1, family: .v6)), kea: kea)

        let report = try Installer(options: kea.options(server.configPath, folder: folder))
            .install(keaConfig(.v6, folder: folder, hosts: hosts(1...2, family: .v6)))

        #expect(report.action == .installed)
        #expect(try server.reservedAddresses() == ["2001:db8:1::11", "2001:db8:1::12"])
    }

    @Test func customCheckCommandGetsTheQuotedPath() throws {
        let folder = try TestFolder()
        let output = folder.file("it's here.conf")
        let marker = folder.file("checked")

        _ = try installer(output) { $0.check = .custom("cp {} '\(marker)'"); $0.reload = .none }
            .install(keaConfig(.v4, folder: folder, hosts: hosts(1...1)))

        #expect(fileText(marker) == keaConfig(.v4, folder: folder, hosts: hosts(1...1)))
    }

    @Test func customCheckCommandRejection() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")

        let error = installError {
            try installer(output) { $0.check = .custom("echo nope: {} >&2; exit 3"); $0.reload = .none }
                .install(keaConfig(.v4, folder: folder, hosts: hosts(1...1)))
        }

        #expect(error?.exitCode == 4)
        #expect(error?.description.contains("nope: \(output)") == true)
        #expect(folder.names() == [])
    }

    @Test func syntaxErrorIsRejectedWithItsLocation() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")

        let error = installError { try installer(output).install("{\"Dhcp4\": {\n  \"a\": 1 \"b\": 2\n}}") }

        #expect(error?.exitCode == 4)
        #expect(error?.description == "rendered configuration rejected: \(output):2:11: error: expected ',' or '}' after the value of \"a\", found '\"'" || error?.description.contains("\(output):2:") == true)
        #expect(folder.names() == [])
    }
}

/// The guard when the installed file is not something the reader understands.
@Suite struct InstallerGuardTests {
    @Test func unreadableInstalledFileAndEmptyNewConfigIsRefused() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        try "{\"Dhcp4\": {\n<?include \"/etc/kea/hosts.json\"?>\n}}\n".write(toFile: output, atomically: false, encoding: .utf8)
        var options = Installer.Options(output: output)
        options.check = .none
        options.reload = .none

        let error = installError { try Installer(options: options).install(keaConfig(.v4, folder: folder, hosts: [])) }

        #expect(error?.exitCode == 4)
        #expect(error?.description.contains("could not be read to count") == true)
    }

    @Test func unreadableInstalledFileIsReplacedByANonEmptyConfigWithANote() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        try "not json".write(toFile: output, atomically: false, encoding: .utf8)
        var options = Installer.Options(output: output)
        options.check = .none
        options.reload = .none

        let report = try Installer(options: options).install(keaConfig(.v4, folder: folder, hosts: hosts(1...2)))

        #expect(report.action == .installed)
        #expect(report.notes.first?.contains("removal guard could not count") == true)
        #expect(report.added == 2)
    }
}

@Suite struct InstallerSymlinkTests {
    @Test func symlinkedOutputIsReplacedAtItsTarget() throws {
        let folder = try TestFolder()
        try FileManager.default.createDirectory(atPath: folder.file("real"), withIntermediateDirectories: false)
        let target = folder.file("real/kea-dhcp4.conf")
        try keaConfig(.v4, folder: folder, hosts: hosts(1...1)).write(toFile: target, atomically: false, encoding: .utf8)
        let link = folder.file("kea-dhcp4.conf")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        var options = Installer.Options(output: link)
        options.check = .none
        options.reload = .none

        _ = try Installer(options: options).install(keaConfig(.v4, folder: folder, hosts: hosts(1...2)))

        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(fileText(target) == keaConfig(.v4, folder: folder, hosts: hosts(1...2)))
    }
}
