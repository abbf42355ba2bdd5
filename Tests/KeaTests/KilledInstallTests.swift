import Foundation
import Testing
@testable import Kea

/// A real installer killed with SIGKILL at random moments: the destination is always one whole version,
/// and the next run removes what the killed one left. The installer runs in a child process: this test
/// binary started again with only `installLoopForKillTest` enabled.
@Suite struct KilledInstallTests {
    static let childFolder = ProcessInfo.processInfo.environment["KEA_NETBOX_KILL_TEST_FOLDER"]

    /// Two versions of a configuration, large enough (a 1 MB comment) that a kill often lands mid-write.
    static func version(_ variant: Int) -> String {
        let padding = String(repeating: "kea-netbox padding line for the kill test ......................\n", count: 16 * 1024)
        let hosts = (1...50).map { index in
            "{\"hw-address\": \"02:00:00:00:\(String(format: "%02x", variant)):\(String(format: "%02x", index))\", \"ip-address\": \"192.0.2.\(index + 10)\"}"
        }.joined(separator: ",\n")
        return "/* version \(variant)\n\(padding)*/\n{\"Dhcp4\": {\"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\", \"reservations\": [\n\(hosts)\n]}]}}\n"
    }

    static func install(_ text: String, output: String) throws {
        let lock = try InstallLock(output: output, timeout: .seconds(30))
        var options = Installer.Options(output: output)
        options.check = .none
        options.reload = .none
        options.force = true
        _ = try withExtendedLifetime(lock) { try Installer(options: options).install(text) }
    }

    @Test(.enabled(if: childFolder != nil, "helper of killedInstallerNeverLeavesAPartialFile: runs only in its child process"))
    func installLoopForKillTest() throws {
        let folder = try #require(Self.childFolder)
        for round in 0..<1000 {
            try Self.install(Self.version(round % 2 == 0 ? 1 : 2), output: folder + "/kea-dhcp4.conf")
        }
    }

    @Test(.enabled(if: childFolder == nil, "the child process runs only the install loop"))
    func killedInstallerNeverLeavesAPartialFile() throws {
        let folder = try TestFolder()
        let output = folder.file("kea-dhcp4.conf")
        let versions = [Self.version(0), Self.version(1), Self.version(2)]
        try versions[0].write(toFile: output, atomically: false, encoding: .utf8)
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var environment = ProcessInfo.processInfo.environment
        environment["KEA_NETBOX_KILL_TEST_FOLDER"] = folder.path
        var seen: Set<Int> = []
        for round in 0..<6 {
            let child = try ProcessRunner.spawn(executable, ["--testing-library", "swift-testing", "--filter", "installLoopForKillTest"],
                                                environment: environment, output: .file("/dev/null"), error: .file("/dev/null")).pid
            usleep(UInt32(300_000 + round * 200_000 + Int.random(in: 0..<150_000)))
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)

            let text = try #require(fileText(output))
            let index = versions.firstIndex(of: text)
            #expect(index != nil, "round \(round): the destination is not one whole version (\(text.utf8.count) bytes)")
            if let index { seen.insert(index) }
        }
        // The children really installed (else this test would prove nothing).
        #expect(seen.contains(1) || seen.contains(2))

        try Self.install(versions[0] + "\n", output: output)
        #expect(fileText(output) == versions[0] + "\n")
        #expect(!folder.names().contains { $0.hasPrefix(".kea-dhcp4.conf.kea-netbox-") })
    }
}
