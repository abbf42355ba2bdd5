import Foundation
import Testing

/// A user who can write the output's folder (or a shared sticky folder) plants links, FIFOs and folders; kea-netbox
/// runs as root. Each attack must end in a refusal naming the unsafe component (exit 4), with the planted link's
/// target untouched and, in a dry run, not printed. Runs under `timeout` so that a blocking FIFO fails the test
/// instead of hanging the suite.
@Suite struct PlantedLinkTests {
    static let precious = "root's own file\n"

    /// `secret/target`: root's file the attacker aims at. `etc/`: the output folder the other user owns (as with
    /// a `/etc/kea` made writable for `_kea`). `shared/`: a root-owned sticky folder everyone can write (like /tmp).
    /// `safe/`: a root-owned folder nobody else can write.
    final class Scene {
        let folder: TemporaryFolder
        let target: URL
        let etc: URL
        let shared: URL
        let safe: URL

        init(user: (uid: uid_t, gid: gid_t)) throws {
            folder = try TemporaryFolder()
            let manager = FileManager.default
            for name in ["secret", "etc", "shared", "safe"] {
                try manager.createDirectory(at: folder.url.appendingPathComponent(name), withIntermediateDirectories: false)
            }
            chmod(folder.url.path, 0o755)
            target = try folder.write("secret/target", PlantedLinkTests.precious)
            etc = folder.url.appendingPathComponent("etc")
            shared = folder.url.appendingPathComponent("shared")
            safe = folder.url.appendingPathComponent("safe")
            chmod(safe.path, 0o755)
            chown(etc.path, user.uid, user.gid)
            chmod(etc.path, 0o755)
            chmod(shared.path, 0o1777)
        }

        var targetText: String { (try? String(contentsOf: target, encoding: .utf8)) ?? "(unreadable)" }
    }

    func install(_ output: URL, _ extra: [String] = []) throws -> CommandResult {
        try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/timeout"), [
            "60", try CommandRunner.keaNetbox.path, "install", "templates/kea-dhcp4.conf.tmpl",
            "--data", "examples/demo-snapshot.json", "--output", output.path, "--check", "none", "--reload", "none",
        ] + extra)
    }

    /// The demo render with a changed last line: a valid installed file that the next install replaces.
    func installedFile(at output: URL) throws {
        let render = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--data", "examples/demo-snapshot.json"])
        #expect(render.status == 0, "\(render.stderr)")
        try Data((render.stdout + "// installed earlier\n").utf8).write(to: output)
    }

    @Test func aLockLinkPlantedByAnotherUserIsRefused() throws {
        guard let user = try UnprivilegedUser.available() else { return }
        let scene = try Scene(user: user)
        let output = scene.etc.appendingPathComponent("kea-dhcp4.conf")
        try UnprivilegedUser.run("/bin/ln", ["-s", scene.target.path, output.path + ".lock"])

        let result = try install(output)

        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("refusing the lock file \(output.path).lock: it is a symbolic link"), "\(result.stderr)")
        #expect(scene.targetText == Self.precious)
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func aLockFIFOPlantedByAnotherUserIsRefusedWithoutBlocking() throws {
        guard let user = try UnprivilegedUser.available() else { return }
        let scene = try Scene(user: user)
        let output = scene.etc.appendingPathComponent("kea-dhcp4.conf")
        try UnprivilegedUser.run("/usr/bin/mkfifo", [output.path + ".lock"])

        let result = try install(output)

        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("refusing the lock file \(output.path).lock: it is a FIFO, not a regular file"), "\(result.stderr)")
    }

    @Test func anOutputLinkInAFolderAnotherUserOwnsIsRefusedAndADryRunDoesNotShowItsTarget() throws {
        guard let user = try UnprivilegedUser.available() else { return }
        let scene = try Scene(user: user)
        let output = scene.etc.appendingPathComponent("kea-dhcp4.conf")
        try UnprivilegedUser.run("/bin/ln", ["-s", scene.target.path, output.path])

        let dryRun = try install(output, ["--dry-run"])
        let result = try install(output)

        for run in [dryRun, result] {
            #expect(run.status == 4, "\(run.stderr)")
            #expect(run.stderr.contains("refusing to follow the symbolic link \(output.path) (output): the folder \(scene.etc.path) on the way belongs to \(UnprivilegedUser.name)"),
                    "\(run.stderr)")
            #expect(!run.stdout.contains("root's own file") && !run.stderr.contains("root's own file"))
        }
        #expect(scene.targetText == Self.precious)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: output.path) == scene.target.path)
    }

    @Test func anOutputLinkAnotherUserPlantedInASharedStickyFolderIsRefused() throws {
        guard let user = try UnprivilegedUser.available() else { return }
        let scene = try Scene(user: user)
        let output = scene.shared.appendingPathComponent("kea-dhcp4.conf")
        try UnprivilegedUser.run("/bin/ln", ["-s", scene.target.path, output.path])

        let result = try install(output)

        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("refusing to follow the symbolic link \(output.path) for the output \(output.path): the link belongs to \(UnprivilegedUser.name)"),
                "\(result.stderr)")
        #expect(scene.targetText == Self.precious)
    }

    @Test func aRootLinkLeadingThroughAFolderAnotherUserOwnsIsRefused() throws {
        guard let user = try UnprivilegedUser.available() else { return }
        let scene = try Scene(user: user)
        // The user owns etc/ and so decides what etc/real.conf is by the time root writes it.
        let output = scene.safe.appendingPathComponent("kea-dhcp4.conf")
        try FileManager.default.createSymbolicLink(atPath: output.path,
                                                   withDestinationPath: scene.etc.appendingPathComponent("real.conf").path)
        try UnprivilegedUser.run("/bin/ln", ["-s", scene.target.path, scene.etc.appendingPathComponent("real.conf").path])

        let result = try install(output)

        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("the folder \(scene.etc.path) on the way belongs to \(UnprivilegedUser.name)"), "\(result.stderr)")
        #expect(scene.targetText == Self.precious)
    }

    @Test func aLinkOnlyRootCouldHaveMadeIsFollowedAndKept() throws {
        guard let user = try UnprivilegedUser.available() else { return }
        let scene = try Scene(user: user)
        let real = scene.safe.appendingPathComponent("real.conf")
        try installedFile(at: real)
        let output = scene.safe.appendingPathComponent("kea-dhcp4.conf")
        try FileManager.default.createSymbolicLink(atPath: output.path, withDestinationPath: "real.conf")

        let result = try install(output)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: output.path) == "real.conf")
        #expect(try !String(contentsOf: real, encoding: .utf8).contains("// installed earlier"))
    }

    @Test func aBackupFolderLinkPlantedByAnotherUserIsRefused() throws {
        guard let user = try UnprivilegedUser.available() else { return }
        let scene = try Scene(user: user)
        let output = scene.safe.appendingPathComponent("kea-dhcp4.conf")
        try installedFile(at: output)
        let installed = try String(contentsOf: output, encoding: .utf8)
        let backups = scene.shared.appendingPathComponent("backups")
        try UnprivilegedUser.run("/bin/ln", ["-s", scene.target.deletingLastPathComponent().path, backups.path])

        let result = try install(output, ["--backup-dir", backups.path])

        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("refusing to follow the symbolic link \(backups.path) for the backup folder \(backups.path): the link belongs to \(UnprivilegedUser.name)"),
                "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scene.target.deletingLastPathComponent().path) == ["target"])
        #expect(try String(contentsOf: output, encoding: .utf8) == installed)
        #expect(try scene.safe.path == output.deletingLastPathComponent().path && FileManager.default.contentsOfDirectory(atPath: scene.safe.path).sorted() == ["kea-dhcp4.conf", "kea-dhcp4.conf.lock"])
    }

    @Test func aBackupFolderAnotherUserOwnsIsRefused() throws {
        guard let user = try UnprivilegedUser.available() else { return }
        let scene = try Scene(user: user)
        let output = scene.safe.appendingPathComponent("kea-dhcp4.conf")
        try installedFile(at: output)
        let installed = try String(contentsOf: output, encoding: .utf8)
        let backups = scene.etc.appendingPathComponent("backups")
        try UnprivilegedUser.run("/bin/mkdir", [backups.path])

        let result = try install(output, ["--backup-dir", backups.path])

        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("refusing the backup folder \(backups.path): it belongs to \(UnprivilegedUser.name)"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups.path).isEmpty)
        #expect(try String(contentsOf: output, encoding: .utf8) == installed)
    }

    @Test func aFIFOOutputIsRefusedWithoutBlocking() throws {
        guard try UnprivilegedUser.available() != nil else { return }
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf")
        #expect(mkfifo(output.path, 0o600) == 0)

        let result = try install(output)

        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("refusing to install to \(output.path): it is a FIFO, not a regular file"), "\(result.stderr)")
    }

    @Test func anOutputLinkToADeviceIsRefusedWithoutReadingIt() throws {
        guard try UnprivilegedUser.available() != nil else { return }
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf")
        try FileManager.default.createSymbolicLink(atPath: output.path, withDestinationPath: "/dev/zero")

        let result = try install(output, ["--dry-run"])

        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("refusing to install to \(output.path) (a link to /dev/zero): it is a character device, not a regular file"),
                "\(result.stderr)")
    }
}
