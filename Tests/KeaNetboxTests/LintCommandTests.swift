import Foundation
import Testing

/// `kea-netbox lint`: template syntax without data, the rendered config's problems traced back to the template.
@Suite struct LintCommandTests {
    let demo = "examples/demo-snapshot.json"

    /// A small template around one loop; `entry` is the reservation line inside it (template line 8).
    func template(entry: String = #"{ "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }} }"#,
                  subnetExtra: String = "") -> String {
        """
        {
          "Dhcp4": {
            "interfaces-config": { "interfaces": [ "eth9" ] },
            "subnet4": [ {
              "id": 1,\(subnetExtra)
              "subnet": "192.0.2.0/24",
              "reservations": [
        {% for r in reservations("192.0.2.0/24") sep "," %}
                \(entry)
        {% endfor %}
              ]
            } ]
          }
        }

        """
    }

    @Test func theShippedTemplatesAreCleanEvenForKea() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let result = try CommandRunner.keaNetbox(["lint", "templates/kea-dhcp4.conf.tmpl", "templates/kea-dhcp6.conf.tmpl",
                                                  "examples/kea-dhcp4-from-prefixes.conf.tmpl", "--data", demo, "--kea"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aSyntaxErrorIsFoundWithoutData() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", "{\n  {% if x %}\n}\n")
        let result = try CommandRunner.keaNetbox(["lint", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(file.path):2:3: error: 'if' is not closed"), "\(result.stdout)")
        #expect(result.stdout.contains("\(file.path):4:1: note: the template ends here"), "the unclosed block's note: \(result.stdout)")
    }

    @Test func rawIsAWarningThatStrictTurnsIntoAFinding() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", template(entry: #"{ "hw-address": {{ r.mac | raw }}, "ip-address": {{ r.ip }} }"#))
        let lenient = try CommandRunner.keaNetbox(["lint", file.path])
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("\(file.path):9:36: warning: '| raw'"), "\(lenient.stdout)")
        let strict = try CommandRunner.keaNetbox(["lint", file.path, "--strict"])
        #expect(strict.status == 1)
    }

    @Test func aDuplicateMACInTheRenderIsReportedAtTheTemplateLine() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", template(entry: #"{ "hw-address": "02:00:00:00:00:01", "ip-address": {{ r.ip }} }"#))
        let result = try CommandRunner.keaNetbox(["lint", file.path, "--data", demo])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(file.path):9:25: error: Dhcp4.subnet4[0].reservations[1]: duplicate hw-address 02:00:00:00:00:01"),
                "\(result.stdout)")
        #expect(result.stdout.contains("note: at line 10, column 25 of the rendered configuration"), "\(result.stdout)")
    }

    @Test func whatKeaRejectsIsReportedAtTheTemplateLine() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", template(subnetExtra: #" "valid-lifetime": "long","#))
        let result = try CommandRunner.keaNetbox(["lint", file.path, "--data", demo, "--kea"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(file.path):5:34: error: kea-dhcp4 -t rejected the rendered configuration"),
                "\(result.stdout)")
    }

    @Test func githubFormatAnnotatesTheTemplateLine() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", "{\n  \"a\": {{ nosuch( }}\n}\n")
        let result = try CommandRunner.keaNetbox(["lint", file.path, "--format", "github"])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("::error file=\(file.path),line=2,col="), "\(result.stdout)")
    }

    @Test func jsonFormatListsFindingsWithPositions() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", "{\n  \"a\": {{ x | lenght }}\n}\n")
        let result = try CommandRunner.keaNetbox(["lint", file.path, "--format", "json"])
        #expect(result.status == 1)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(findings.count == 1)
        #expect(findings.first?["line"] as? Int == 2)
        #expect(findings.first?["severity"] as? String == "error")
        #expect((findings.first?["message"] as? String)?.contains("did you mean 'length'") == true, "\(findings)")
    }

    @Test func anUnreadableSnapshotExitsThree() throws {
        let result = try CommandRunner.keaNetbox(["lint", "templates/kea-dhcp4.conf.tmpl", "--data", "/nonexistent.json"])
        #expect(result.status == 3)
    }
}
