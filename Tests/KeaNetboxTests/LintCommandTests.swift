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
        // Only the note that says which interfaces the check left out.
        #expect(!result.stdout.contains("error") && !result.stdout.contains("warning"), "\(result.stdout)")
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

/// lint's own findings, each shown to fire on a template with the problem and not on the shipped ones; the exact
/// output of each format; and the exit codes.
@Suite struct LintFindingsTests {
    let demo = "examples/demo-snapshot.json"

    func lint(_ text: String, _ extra: [String] = []) throws -> (status: Int32, stdout: String, path: String) {
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", text)
        let result = try CommandRunner.keaNetbox(["lint", file.path] + extra)
        return (result.status, result.stdout + result.stderr, file.path)
    }

    static let subnetLoop = """
        { "Dhcp4": { "subnet4": [
          {% for p in prefixes(family=4) sep "," %}
          { "id": {{ p.id }}, "subnet": {{ p.prefix }},
            "reservations": [
              {% for r in reservations(p) sep "," %}
              {% if r.tags | length > 100 %}{ "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }}, "hostname": {{ r.hostnme }} }{% else %}{ "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }} }{% endif %}
              {% endfor %}
            ] }
          {% endfor %}
        ] } }

        """

    @Test func aTypoInABranchTheDataNeverTakesFailsLintWithAndWithoutData() throws {
        for extra in [[], ["--data", demo]] {
            let result = try lint(LintFindingsTests.subnetLoop, extra)
            #expect(result.status == 1)
            #expect(result.stdout.contains("\(result.path):6:109: error: a reservation has no member 'hostnme'; did you mean 'hostname'? [static-check]"),
                    "\(result.stdout)")
        }
        let fixed = try lint(LintFindingsTests.subnetLoop.replacingOccurrences(of: "r.hostnme", with: "r.hostname"), ["--data", demo])
        #expect(fixed.status == 0, "\(fixed.stdout)")
    }

    @Test func aSubnetWithoutIDAndReservationModeAreWarningsThatStrictFailsOn() throws {
        let text = #"{ "Dhcp4": { "reservation-mode": "all", "subnet4": [ { "subnet": "192.0.2.0/24" } ] } }"#
        let lenient = try lint(text, ["--data", demo])
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("\(lenient.path):1:34: warning: Dhcp4: \"reservation-mode\" was removed in Kea 2.6"), "\(lenient.stdout)")
        #expect(lenient.stdout.contains("[reservation-mode-removed]"))
        #expect(lenient.stdout.contains("\(lenient.path):1:54: warning: Dhcp4.subnet4[0]: subnet has no \"id\""), "\(lenient.stdout)")
        #expect(lenient.stdout.contains("[subnet-without-id]"))
        #expect(try lint(text, ["--data", demo, "--strict"]).status == 1)
        let clean = try lint(#"{ "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24" } ] } }"#, ["--data", demo, "--strict"])
        #expect(clean.status == 0, "\(clean.stdout)")
    }

    @Test func aLookupOfASubnetNetBoxLacksIsAWarningAtItsArgument() throws {
        let text = #"{ "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "10.9.9.0/24", "reservations": [ {% for r in reservations("10.9.9.0/24") sep "," %}{ "hw-address": {{ r.mac }} }{% endfor %} ] } ] } }"#
        let result = try lint(text, ["--data", demo])
        #expect(result.stdout.contains(#"\#(result.path):1:106: warning: reservations("10.9.9.0/24") finds nothing: NetBox has no prefix 10.9.9.0/24 and no address in it [lookup-never-matches]"#),
                "\(result.stdout)")
        let known = try lint(text.replacingOccurrences(of: "10.9.9.0/24", with: "192.0.2.0/24"), ["--data", demo])
        #expect(!known.stdout.contains("lookup-never-matches"), "\(known.stdout)")
    }

    @Test func aReservationLoopOutsideASubnetListIsAWarning() throws {
        let text = """
            { "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24", "option-data": [
              {% for r in reservations("192.0.2.0/24") sep "," %}{ "name": "host-name", "data": {{ r.hostname }} }{% endfor %}
            ] } ] } }
            """
        let result = try lint(text)
        #expect(result.stdout.contains("\(result.path):2:3: warning: this loop over reservations() writes its items at Dhcp4.subnet4[].option-data[]"),
                "\(result.stdout)")
        let global = try lint(#"{ "Dhcp4": { "reservations": [ {% for r in reservations("192.0.2.0/24") sep "," %}{ "hw-address": {{ r.mac }} }{% endfor %} ] } }"#)
        #expect(!global.stdout.contains("reservations-outside-subnet"), "\(global.stdout)")
    }

    @Test func unusedSetAndMisspeltSetVariables() throws {
        let text = #"{ {% set unused = 1 %}"Dhcp6": { "subnet6": [ { "id": 1, "subnet": "2001:db8:1::/64", "interface": {{ interface | default("eth0") }} } ] } }"#
        let result = try lint(text, ["--set", "interfce=eth1"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\(result.path):1:3: warning: 'unused' is set but never used [unused-variable]"), "\(result.stdout)")
        #expect(result.stdout.contains("warning: --set interfce=… is never used by the template; did you mean 'interface'? [unused-variable]"),
                "\(result.stdout)")
        let right = try lint(text, ["--set", "interface=eth1", "--strict"])
        #expect(!right.stdout.contains("--set interface"), "\(right.stdout)")
    }

    @Test func v6KeaCheckWorksWithoutTheNamedInterfaceAndSaysWhatItReplaced() throws {
        guard Prerequisites.available("kea-dhcp6") != nil else { return }
        let result = try CommandRunner.keaNetbox(["lint", "templates/kea-dhcp6.conf.tmpl", "--set", "interface=kn-absent0",
                                                  "--data", demo, "--kea"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(#"note: templates/kea-dhcp6.conf.tmpl: kea-dhcp6 -t checked a copy without the server's network interfaces: interfaces-config.interfaces [eth1] emptied; Dhcp6.subnet6[0].interface "kn-absent0" replaced by "lo""#),
                "\(result.stdout)")
    }

    @Test func jsonFormatIsExact() throws {
        let result = try lint("{\n  \"a\": {{ nosuch }}\n}\n", ["--format", "json"])
        #expect(result.status == 1)
        #expect(result.stdout == """
            [
              {"file": "\(result.path)", "line": 2, "column": 11, "severity": "error", "rule": "static-check", "message": "undefined variable 'nosuch'", "notes": []}
            ]

            """)
    }

    @Test func githubFormatAnnotatesAnUnclosedBlockAtItsOpeningTagAndTheEnd() throws {
        let result = try lint("[\n  {% for x in [1] %}\n  {{ x }}\n]\n", ["--format", "github"])
        #expect(result.status == 1)
        #expect(result.stdout == """
            ::error file=\(result.path),line=2,col=3::'for' is not closed; expected 'endfor' or 'else' before the end of the template%0A\(result.path):5:1: the template ends here
            ::notice file=\(result.path),line=5,col=1::the template ends here ('for' is not closed; expected 'endfor' or 'else' before the end of the template)

            """)
    }

    @Test func aCleanTemplateExitsZeroWithNoOutput() throws {
        let result = try lint(#"{ "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24" } ] } }"#, ["--data", demo, "--strict"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
    }
}

/// lint's exit codes and its database source.
@Suite struct LintExitCodeTests {
    @Test func aBadSnapshotIsExitThreeAtItsPlace() throws {
        let folder = try TemporaryFolder()
        let snapshot = try folder.write("bad.json", "{\"format\": ")
        let result = try CommandRunner.keaNetbox(["lint", "templates/kea-dhcp4.conf.tmpl", "--data", snapshot.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(snapshot.path):1:12: error: bad snapshot: invalid JSON"), "\(result.stderr)")
    }

    @Test func keaWithoutDataIsAUsageError() throws {
        let result = try CommandRunner.keaNetbox(["lint", "templates/kea-dhcp4.conf.tmpl", "--kea"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--kea checks the rendered config"), "\(result.stderr)")
    }

    @Test func lintReadsTheDatabaseLikeRender() throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: .netbox4x, data: "demo-data.sql")
        let folder = try TemporaryFolder()
        let file = try folder.write("t.tmpl", """
            { "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24", "reservations": [
            {% for r in reservations("192.0.2.0/24") sep "," %}{ "hw-address": "02:00:00:00:00:01", "ip-address": {{ r.ip }} }{% endfor %}
            ] } ] } }
            """)
        let result = try CommandRunner.keaNetbox(["lint", file.path, "--database", database.conninfo])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(file.path):2:68: error: Dhcp4.subnet4[0].reservations[1]: duplicate hw-address"), "\(result.stdout)")
        let unreachable = try CommandRunner.keaNetbox(["lint", file.path, "--database", "host=\(host) dbname=kn_missing_db user=postgres"])
        #expect(unreachable.status == 3, "\(unreachable.stderr)")
    }
}

/// The issue's command over every shipped template, the hosts template (both families in one document) included.
@Suite struct LintShippedTemplatesTests {
    @Test func everyShippedTemplateIsCleanForKea() throws {
        guard Prerequisites.available("kea-dhcp4") != nil, Prerequisites.available("kea-dhcp6") != nil else { return }
        let templates = try FileManager.default.contentsOfDirectory(atPath: "templates").filter { $0.hasSuffix(".tmpl") }.sorted()
        #expect(templates.contains("kea-hosts.json.tmpl"))
        let result = try CommandRunner.keaNetbox(["lint", "--kea", "--format", "github"] + templates.map { "templates/" + $0 }
                                                 + ["--data", "examples/demo-snapshot.json", "--set", "interface=eth1"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("::error") && !result.stdout.contains("::warning"), "\(result.stdout)")
    }

    @Test func aHostsDocumentIsCheckedAsHostsSyncChecksIt() throws {
        let folder = try TemporaryFolder()
        let shipped = try String(contentsOfFile: "templates/kea-hosts.json.tmpl", encoding: .utf8)
        let broken = try folder.write("h.tmpl", shipped.replacingOccurrences(of: #""hw-address": {{ r.mac }}"#,
                                                                            with: #""hw-address": "02:00:00:00:00:01""#))
        let result = try CommandRunner.keaNetbox(["lint", broken.path, "--data", "examples/demo-snapshot.json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("duplicate hw-address 02:00:00:00:00:01"), "\(result.stdout)")
        #expect(!result.stdout.contains("second top-level key"), "\(result.stdout)")
    }
}
