import Diagnostics
import Foundation
import KeaNetbox
import NetBox
import Testing

/// `kea-netbox install` end to end through the executable: the shipped DHCPv4 template, the demo snapshot, the
/// real `kea-dhcp4 -t`, and the exit codes of DESIGN.md §5. (The installer's behaviour against running Kea servers
/// and every reloader is covered in KeaTests.)
@Suite struct InstallCommandTests {
    let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path

    /// The shipped template without what a CI machine lacks (see PortableTemplate).
    func portableTemplate(in folder: TemporaryFolder) throws -> URL {
        try PortableTemplate.shipped(4, in: folder).template
    }

    /// The demo installed once (no reload): the starting point of tests about a second install.
    func installedDemo(in folder: TemporaryFolder) throws -> (template: URL, output: String, installed: String) {
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let first = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output, "--reload", "none"])
        #expect(first.status == 0, "\(first.stderr)")
        return (template, output, try String(contentsOfFile: output, encoding: .utf8))
    }

    func snapshot(in folder: TemporaryFolder, keepingReservations count: Int) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo))) as? [String: Any] ?? [:]
        object["reservations"] = Array((object["reservations"] as? [Any] ?? []).prefix(count))
        return try folder.write("small.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)).path
    }

    @Test func installsThenFindsNothingToDo() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let first = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output, "--reload", "none"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("installed \(output): +17 -0 ~0 reservations (17 in total), 3 subnets"), "\(first.stdout)")
        let attributes = try FileManager.default.attributesOfItem(atPath: output)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        let modified = attributes[.modificationDate] as? Date

        let second = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output, "--reload", "none"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("is up to date"), "\(second.stdout)")
        #expect(try FileManager.default.attributesOfItem(atPath: output)[.modificationDate] as? Date == modified)
    }

    @Test func aBadSnapshotExitsThreeAndTouchesNothing() throws {
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = try folder.write("kea-dhcp4.conf", "installed\n")
        let broken = try folder.write("broken.json", "{\"format\": \"kea-netbox-snapshot/1\"")
        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", broken.path, "--output", output.path])
        #expect(result.status == 3)
        #expect(try String(contentsOf: output, encoding: .utf8) == "installed\n")
    }

    @Test func aTemplateErrorExitsTwoAndTouchesNothing() throws {
        let folder = try TemporaryFolder()
        let template = try folder.write("t.tmpl", "{ \"Dhcp4\": {{ missing }} }\n")
        let output = try folder.write("kea-dhcp4.conf", "installed\n")
        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("t.tmpl:1:15: error:"), "\(result.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "installed\n")
    }

    @Test func theRemovalGuardRefusesAnAlmostEmptyNetBoxUnlessForced() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let (template, output, installed) = try installedDemo(in: folder)
        let small = try snapshot(in: folder, keepingReservations: 2)

        let refused = try CommandRunner.keaNetbox(["install", template.path, "--data", small, "--output", output, "--reload", "none"])
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("--max-removed-fraction"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == installed)

        let forced = try CommandRunner.keaNetbox(["install", template.path, "--data", small, "--output", output,
                                                  "--reload", "none", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("-15"), "\(forced.stdout)")
    }

    @Test func dryRunPrintsTheDiffAndInstallsNothing() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let (template, output, installed) = try installedDemo(in: folder)
        let smaller = try snapshot(in: folder, keepingReservations: 16)
        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", smaller, "--output", output, "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#"-          { "hw-address": "02:00:00:03:00:30", "ip-address": "203.0.113.30""#), "\(result.stdout)")
        #expect(result.stdout.contains("dry run"))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == installed)
        #expect(try folder.entries().filter { $0.hasPrefix(".kea-dhcp4.conf.kea-netbox-") }.isEmpty)
    }

    @Test func aRejectingCheckCommandExitsFourAndLeavesNoTemporaryFile() throws {
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = try folder.write("kea-dhcp4.conf", "installed\n")
        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output.path,
                                                  "--check", "echo 'no, thanks' >&2; false", "--reload", "none"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("no, thanks"), "\(result.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "installed\n")
        #expect(try folder.entries().filter { $0.hasPrefix(".kea-dhcp4.conf.kea-netbox-") }.isEmpty)
    }

    @Test func aFailedReloadRestoresThePreviousFileAndExitsFive() throws {
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        #expect(try CommandRunner.keaNetbox(["install", template.path, "--data", try snapshot(in: folder, keepingReservations: 16),
                                             "--output", output, "--check", "none", "--reload", "none"]).status == 0)
        let installed = try String(contentsOfFile: output, encoding: .utf8)
        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output,
                                                  "--check", "none", "--reload", "command:exit 3"])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains("restored"), "\(result.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == installed)
    }

    @Test func anUnknownReloadSpecIsAUsageError() throws {
        let result = try CommandRunner.keaNetbox(["install", "t.tmpl", "--output", "/tmp/x", "--reload", "carrier-pigeon"])
        #expect(result.status == 64)
    }

    /// `kea-dhcp4 -t` of a large configuration on a busy machine can outlast the default: `--check-timeout` moves the
    /// limit, and a check that outlasts it is stopped, exit 1, with nothing installed.
    @Test func aCheckThatOutlastsCheckTimeoutIsStoppedAndNothingIsInstalled() throws {
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let slow = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output,
                                                "--check", "sh -c 'sleep 30' {}", "--check-timeout", "1", "--reload", "none"])
        #expect(slow.status == 1, "\(slow.stdout)\(slow.stderr)")
        #expect(slow.stderr.contains("did not finish within 1.0 seconds"), "\(slow.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let staged = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".kea-netbox-") }
        #expect(staged.isEmpty, "no staged file left: \(staged)")

        let zero = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output, "--check-timeout", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--check-timeout must be at least 1 second"))
    }
}

/// install and lint report a problem of the rendered config at the same template line, never at a line of a
/// file that was not written.
@Suite struct InstallReportsTemplateLocationsTests {
    let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path

    func template(entry: String, subnetExtra: String = "") -> String {
        """
        {
          "Dhcp4": {
            "interfaces-config": { "interfaces": [] },
            "subnet4": [
              { "id": 1, "subnet": "192.0.2.0/24",\(subnetExtra)
                "reservations": [
                  {% for r in reservations("192.0.2.0/24") sep "," %}
                  \(entry)
                  {% endfor %}
                ] }
            ]
          }
        }

        """
    }

    @Test func aSemanticErrorIsReportedAtTheTemplateLineLikeLint() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", template(entry: #"{ "hw-address": "02:00:00:00:00:01", "ip-address": {{ r.ip }} }"#))
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let install = try CommandRunner.keaNetbox(["install", file.path, "--data", demo, "--output", output,
                                                   "--check", "none", "--reload", "none"])
        #expect(install.status == 4)
        #expect(!FileManager.default.fileExists(atPath: output))
        let expected = "\(file.path):8:27: error: Dhcp4.subnet4[0].reservations[1]: duplicate hw-address 02:00:00:00:00:01"
        #expect(install.stderr.contains(expected), "\(install.stderr)")
        #expect(!install.stderr.contains("\(output):"), "\(install.stderr)")
        #expect(install.stderr.contains("note: at line 8, column 27 of the rendered configuration"), "\(install.stderr)")
        let lint = try CommandRunner.keaNetbox(["lint", file.path, "--data", demo])
        #expect(lint.stdout.contains(expected), "\(lint.stdout)")
    }

    /// Install drops the snapshot after the render and reads it again for a rejection; standard input cannot be
    /// read again, so that snapshot is kept: the error is at the template line either way.
    @Test func aRejectionOfARenderFromStandardInputIsAtTheTemplateLineToo() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", template(entry: #"{ "hw-address": "02:00:00:00:00:01", "ip-address": {{ r.ip }} }"#))
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let install = try CommandRunner.keaNetbox(["install", file.path, "--data", "-", "--output", output,
                                                   "--check", "none", "--reload", "none"],
                                                  stdin: try String(contentsOfFile: demo, encoding: .utf8))
        #expect(install.status == 4)
        #expect(install.stderr.contains("\(file.path):8:27: error: Dhcp4.subnet4[0].reservations[1]: duplicate hw-address 02:00:00:00:00:01"),
                "\(install.stderr)")
    }

    /// When the data read again renders other text (NetBox changed after the rejected render), the places stay
    /// those of the rendered text, and a note says why, rather than naming template lines that did not write it.
    @Test func aRepeatedRenderThatDiffersLocatesNothing() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", template(entry: #"{ "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }} }"#))
        let snapshot = try Snapshot.decode(Data(contentsOf: URL(fileURLWithPath: demo)))
        let renderer = ConfigRenderer(snapshot: snapshot)
        let text = try renderer.render(templateAt: file.path).text
        let found = [Diagnostic(severity: .error, message: "something", location: SourceLocation(file: "out.conf", line: 8, column: 27))]
        let same = renderer.locate(found, renderedAs: "out.conf", templateAt: file.path, rendered: text)
        #expect(same.first?.location?.file == file.path)
        let other = renderer.locate(found, renderedAs: "out.conf", templateAt: file.path, rendered: text + " ")
        #expect(other.first?.location == found.first?.location)
        #expect(other.last?.message.hasPrefix("NetBox changed while the rejection was traced back to the template") == true)
    }

    @Test func whatKeaRejectsIsReportedAtTheTemplateLine() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", template(entry: #"{ "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }} }"#,
                                                       subnetExtra: #" "valid-lifetime": "long","#))
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let install = try CommandRunner.keaNetbox(["install", file.path, "--data", demo, "--output", output, "--reload", "none"])
        #expect(install.status == 4)
        #expect(install.stderr.contains("\(file.path):5:62: error: /usr/sbin/kea-dhcp4 -t \(output) rejected the rendered configuration") || install.stderr.contains("\(file.path):5:62: error: kea-dhcp4 -t \(output) rejected the rendered configuration"),
                "\(install.stderr)")
    }
}
