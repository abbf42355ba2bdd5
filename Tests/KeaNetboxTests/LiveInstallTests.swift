import Foundation
import Kea
import KeaTestSupport
import Testing

/// `kea-netbox install` against a running Kea: the shipped templates, reloaded through the control socket the
/// template names, the new reservations visible in the server's `config-get`.
@Suite struct LiveInstallTests {
    let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path

    /// The shipped template made runnable in a folder (see PortableTemplate).
    func portable(_ family: Int, in folder: TemporaryFolder) throws -> (template: URL, socket: String) {
        try PortableTemplate.shipped(family, in: folder)
    }

    func smallerSnapshot(in folder: TemporaryFolder) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo))) as? [String: Any] ?? [:]
        let reservations = object["reservations"] as? [[String: Any]] ?? []
        object["reservations"] = reservations.filter { ($0["name"] as? String) != "web3" }
        return try folder.write("smaller.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)).path
    }

    @Test(arguments: [4, 6], KeaUnderTest.all)
    func installReloadsTheRunningServer(family: Int, kea: KeaUnderTest) throws {
        guard Prerequisites.usable(kea), let program = kea.program("kea-dhcp\(family)").map(URL.init(fileURLWithPath:)) else { return }
        let folder = try TemporaryFolder()
        let (template, socket) = try portable(family, in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp\(family).conf").path
        // This Kea's programs for the check and its folders moved to the test's, as an operator would.
        let environment = kea.environment(folder: folder.url.path)

        // The server starts with a configuration that lacks web3 …
        let first = try CommandRunner.keaNetbox(["install", template.path, "--data", try smallerSnapshot(in: folder),
                                                 "--output", output, "--reload", "none"], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let server = try RunningKea(program: program, config: output, folder: folder, socketPath: socket, kea: kea)
        #expect(try !server.reservedHostnames(family: "\(family)").contains("web3.fra1.example.net"))

        // … and after the install (default reload: the control socket of the config) the running server has it.
        let second = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output],
                                                 environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("+1 -0 ~0 reservations"), "\(second.stdout)")
        #expect(second.stdout.contains("reloaded via control socket"), "\(second.stdout)")
        #expect(try server.reservedHostnames(family: "\(family)").contains("web3.fra1.example.net"))

        // Nothing new: no write, no reload.
        let third = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output],
                                                environment: environment)
        #expect(third.status == 0)
        #expect(third.stdout.contains("is up to date"), "\(third.stdout)")
    }

    /// Debian 13's stock configuration names its socket without a folder (`"socket-name": "kea4-ctrl-socket"`):
    /// Kea ≥ 2.4.2 listens in its socket folder, and install must reload it there, not look in its own working
    /// folder and report the server as not running. Kea 2.2 opens the name as given, relative to its own working
    /// folder, which is not knowable from outside: there the name is used as written.
    @Test(arguments: KeaUnderTest.all)
    func aBareSocketNameIsReloadedInKeasSocketFolder(kea: KeaUnderTest) throws {
        guard Prerequisites.usable(kea), let program = kea.program("kea-dhcp4").map(URL.init(fileURLWithPath:)) else { return }
        let version = try #require(KeaVersion(versionOutput: kea.version))
        let folder = try TemporaryFolder()
        let environment = kea.environment(folder: folder.url.path)
        let resolved = PathRules.controlSocketLocation("kea4-ctrl-socket", version: version, environment: environment)
        guard version.restrictsPaths else {
            #expect(resolved == "kea4-ctrl-socket")
            return
        }
        #expect(resolved == folder.url.appendingPathComponent("kea4-ctrl-socket").path)
        let (portable, socket) = try portable(4, in: folder)
        let text = try String(contentsOf: portable, encoding: .utf8)
            .replacingOccurrences(of: "\"\(socket)\"", with: "\"kea4-ctrl-socket\"")
        #expect(!text.contains(socket))
        let template = try folder.write("bare-socket.tmpl", text)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path

        let first = try CommandRunner.keaNetbox(["install", template.path, "--data", try smallerSnapshot(in: folder),
                                                 "--output", output, "--reload", "none"], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let server = try RunningKea(program: program, config: output, folder: folder,
                                    socketPath: folder.url.appendingPathComponent("kea4-ctrl-socket").path, kea: kea)
        let second = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output],
                                                 environment: environment)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("reloaded via control socket"), "\(second.stdout)")
        #expect(try server.reservedHostnames(family: "4").contains("web3.fra1.example.net"))
    }
}
