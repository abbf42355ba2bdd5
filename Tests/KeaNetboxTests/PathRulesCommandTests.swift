import Foundation
import Kea
import KeaTestSupport
import Testing

/// `kea-netbox install` refuses, before anything is written, a path that the installed Kea would refuse at its next
/// reload or start — on 2.6.3 with a control socket outside its folder even for good — and says which key, which
/// path and which folder Kea allows, at the template line that wrote it.
@Suite struct PathRulesCommandTests {
    @Test(arguments: KeaUnderTest.all)
    func aControlSocketOutsideKeasFolderIsRefusedBeforeInstall(kea: KeaUnderTest) throws {
        guard Prerequisites.usable(kea) else { return }
        let restricts = try #require(KeaVersion(versionOutput: kea.version)).restrictsPaths
        let folder = try TemporaryFolder()
        let (portable, _) = try LiveInstallTests().portable(4, in: folder)
        let elsewhere = folder.url.appendingPathComponent("sockets")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o750])
        let socket = elsewhere.appendingPathComponent("kea4.sock").path
        let text = try String(contentsOf: portable, encoding: .utf8)
            .replacingOccurrences(of: folder.url.appendingPathComponent("kea4.sock").path, with: socket)
        let template = try folder.write("elsewhere.tmpl", text)
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(socket) }) + 1
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path

        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output, "--reload", "none"],
                                                 environment: kea.environment(folder: folder.url.path))

        if restricts {
            #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("\(template.path):\(line):"), "located at the template line: \(result.stderr)")
            #expect(result.stderr.contains("socket-name \"\(socket)\" is outside the folder Kea \(kea.version) allows, \(folder.url.path)"),
                    "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output), "nothing installed")
        } else {
            // Kea 2.2 takes a socket anywhere.
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: output))
        }
    }
}
