import Foundation
import KeaTestSupport
import Testing
@testable import Kea

@Suite struct PathRulesTests {
    let config = """
        {"Dhcp4": {
          "control-sockets": [ {"socket-type": "http", "socket-port": 8004},
                               {"socket-type": "unix", "socket-name": "/tmp/kea4.sock"} ],
          "lease-database": {"type": "memfile", "name": "/var/lib/kea/old/leases4.csv"},
          "loggers": [ {"name": "kea-dhcp4", "output-options": [ {"output": "stdout"}, {"output": "/var/log/kea/dhcp4.log"},
                                                                 {"output": "/srv/logs/dhcp4.log"} ]} ],
          "hooks-libraries": [ {"library": "libdhcp_lease_cmds.so"}, {"library": "/opt/hooks/libdhcp_ha.so"} ]
        }}
        """

    func violations(_ version: KeaVersion, _ environment: [String: String] = [:]) throws -> [ConfigFinding] {
        PathRules(version: version, environment: environment).violations(in: try ConfigDocument.parse(config, file: "k.conf"))
    }

    @Test func restrictingVersionsNameTheKeyThePathAndTheAllowedFolder() throws {
        let found = try violations(KeaVersion(2, 6, 3))
        #expect(found.map(\.path) == ["Dhcp4.control-sockets[1].socket-name", "Dhcp4.lease-database.name",
                                      "Dhcp4.loggers[0].output-options[2].output", "Dhcp4.hooks-libraries[1].library"])
        #expect(found[0].description == #"k.conf:3:63: error: Dhcp4.control-sockets[1].socket-name: socket-name "/tmp/kea4.sock" is outside the folder Kea 2.6.3 allows, /run/kea (move it there, or set KEA_CONTROL_SOCKET_DIR for the Kea server and kea-netbox alike)"#)
        #expect(found[1].message.contains("/var/lib/kea/old/leases4.csv\" is outside the folder Kea 2.6.3 allows, /var/lib/kea"), "a subfolder is not the folder")
        #expect(found[3].message.contains("KEA_HOOKS_PATH"))
    }

    @Test func theEnvironmentMovesTheFolders() throws {
        let found = try violations(KeaVersion(2, 6, 3), ["KEA_CONTROL_SOCKET_DIR": "/tmp/", "KEA_DHCP_DATA_DIR": "/var/lib/kea/old",
                                                         "KEA_LOG_FILE_DIR": "/srv/logs", "KEA_HOOKS_PATH": "/opt/hooks"])
        #expect(found.map(\.path) == ["Dhcp4.loggers[0].output-options[1].output"])
    }

    @Test func olderVersionsAcceptAnyPath() throws {
        for version in [KeaVersion(2, 2, 0), KeaVersion(2, 4, 1), KeaVersion(2, 6, 2)] {
            #expect(try violations(version).isEmpty, "\(version)")
        }
        for version in [KeaVersion(2, 4, 2), KeaVersion(2, 6, 3), KeaVersion(2, 7, 9), KeaVersion(3, 0, 0), KeaVersion(3, 2, 1)] {
            #expect(version.restrictsPaths, "\(version)")
        }
    }

    @Test func kea3RefusesAnOpenSocketFolder() throws {
        let folder = try TestFolder()
        chmod(folder.path, 0o755)
        let text = #"{"Dhcp4": {"control-socket": {"socket-type": "unix", "socket-name": "\#(folder.file("kea4.sock"))"}}}"#
        let document = try ConfigDocument.parse(text, file: "k.conf")
        let environment = ["KEA_CONTROL_SOCKET_DIR": folder.path]

        #expect(PathRules(version: KeaVersion(2, 6, 3), environment: environment).violations(in: document).isEmpty)
        let found = PathRules(version: KeaVersion(3, 0, 4), environment: environment).violations(in: document)
        #expect(found.map(\.message) == ["socket-name \"\(folder.file("kea4.sock"))\": Kea 3.0.4 refuses the socket folder \(folder.path) with mode 755, more relaxed than 750 (chmod 750 \(folder.path))"])
    }

    @Test func versionOutputOfEachRelease() {
        #expect(KeaVersion(versionOutput: "2.2.0\n") == KeaVersion(2, 2, 0))
        #expect(KeaVersion(versionOutput: "2.6.3 (tarball)\n") == KeaVersion(2, 6, 3))
        #expect(KeaVersion(versionOutput: "3.0.4 (3.0.4 (tarball))\n") == KeaVersion(3, 0, 4))
        #expect(KeaVersion(versionOutput: "kea-dhcp4: command not found") == nil)
    }
}

/// The hooks folder comes from the installed Kea's build report, not from a guess of ours: Debian's amd64 path is
/// wrong on arm64 (`aarch64-linux-gnu`) and on RPM layouts (`/usr/lib64/kea/hooks`).
@Suite struct KeaBuildReportTests {
    @Test func theCompiledHooksFolderDecidesWhereHookLibrariesMayLive() throws {
        let document = try ConfigDocument.parse("""
            {"Dhcp4": {"hooks-libraries": [ {"library": "/usr/lib/aarch64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so"},
                                            {"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so"} ]}}
            """, file: "k.conf")
        let arm = PathRules(version: KeaVersion(2, 6, 3), environment: [:],
                            compiledHooksFolder: "/usr/lib/aarch64-linux-gnu/kea/hooks/")
        #expect(arm.violations(in: document).map(\.path) == ["Dhcp4.hooks-libraries[1].library"])
        #expect(arm.violations(in: document).first?.message.contains("allows, /usr/lib/aarch64-linux-gnu/kea/hooks (") == true)
        // Kea's own variable still wins over what it was built with.
        let moved = PathRules(version: KeaVersion(2, 6, 3), environment: ["KEA_HOOKS_PATH": "/usr/lib/x86_64-linux-gnu/kea/hooks"],
                              compiledHooksFolder: "/usr/lib/aarch64-linux-gnu/kea/hooks")
        #expect(moved.violations(in: document).map(\.path) == ["Dhcp4.hooks-libraries[0].library"])
    }

    @Test func aReportWithoutAHooksLineNamesNoFolder() {
        #expect(KeaBuildReport.hooksDirectory(in: "Kea source configure results:\n  Prefix: /usr\n") == nil)
        #expect(KeaBuildReport.hooksDirectory(in: "   Hooks directory:   lib/hooks\n") == nil, "a relative folder is no rule")
    }

    /// Each real Kea's `-W` (2.2, 2.6 and 3.0 print the line alike), run as install runs it.
    @Test(arguments: KeaUnderTest.all)
    func everyKeaReportsItsHooksFolder(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let environment = kea.environment(folder: NSTemporaryDirectory())
        #expect(KeaBuildReport.installedHooksDirectory(family: .v4, environment: environment) == "/usr/lib/x86_64-linux-gnu/kea/hooks")
        #expect(KeaBuildReport.installedHooksDirectory(family: .v6, environment: environment) == "/usr/lib/x86_64-linux-gnu/kea/hooks")
    }
}

/// The rules against each real Kea: what a restricting version would refuse is refused before anything changes,
/// and what it accepts (the test folders, moved there by Kea's variables) installs.
@Suite(.enabled(if: KeaTestEnvironment.runKeaTests, "kea-dhcp4 not installed (set KEA_NETBOX_REQUIRE_ALL=1 to fail instead)"))
struct PathRulesInstallTests {
    @Test(arguments: KeaUnderTest.all)
    func aLeaseFileOutsideTheAllowedFolderIsRefusedWhereKeaWouldRefuseIt(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let version = try #require(kea.keaVersion)
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...1))
        let server = try KeaServer(.v4, folder: folder, config: original, kea: kea)
        let subfolder = folder.file("leases")
        try FileManager.default.createDirectory(atPath: subfolder, withIntermediateDirectories: false)
        let elsewhere = keaConfig(.v4, folder: folder, hosts: hosts(1...2), leaseFile: subfolder + "/leases4.csv")

        let installer = Installer(options: kea.options(server.configPath, folder: folder))
        if version.restrictsPaths {
            let error = installError { try installer.install(elsewhere) }
            #expect(error?.exitCode == 4)
            #expect(error?.description.contains("Dhcp4.lease-database.name: name \"\(subfolder)/leases4.csv\" is outside the folder Kea \(version) allows, \(folder.path)") == true,
                    "\(String(describing: error))")
            #expect(fileText(server.configPath) == original)
            #expect(try server.reservedAddresses() == ["192.0.2.11"])
        } else {
            // Kea 2.2 takes any path: so does kea-netbox.
            let report = try installer.install(elsewhere)
            #expect(report.reloadOutcome == .reloaded(detail: "Configuration successful."))
            #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
        }
    }
}
