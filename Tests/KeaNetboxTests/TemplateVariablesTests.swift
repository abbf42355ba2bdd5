import Foundation
import KeaNetbox
import Testing

/// `--set name=value`: command-line values as template variables, escaped like data.
@Suite struct TemplateVariablesTests {
    @Test func assignmentsBecomeStringsAndTheLastOneWins() throws {
        let variables = try TemplateVariables(assignments: ["interface=eth1", "tag=a=b", "interface=eth2", "empty="])
        #expect(variables.values == ["interface": "eth2", "tag": "a=b", "empty": ""])
    }

    @Test(arguments: ["novalue", "1x=1", "a-b=1", "=x", "netbox=1", "loop=1", "café=1"])
    func badAssignmentsAreRefused(assignment: String) {
        #expect(throws: TemplateVariablesError.self) { try TemplateVariables(assignments: [assignment]) }
    }

    @Test func theV6TemplateNamesTheSubnetsInterfaceWhenGivenOne() throws {
        let demo = "examples/demo-snapshot.json"
        let with = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp6.conf.tmpl", "--data", demo, "--set", "interface=lo"])
        #expect(with.status == 0, "\(with.stderr)")
        #expect(with.stdout.contains(#""subnet": "2001:db8:1::/64","#))
        #expect(with.stdout.contains("\n        \"interface\": \"lo\","))
        let without = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp6.conf.tmpl", "--data", demo])
        #expect(!without.stdout.contains("\n        \"interface\": "))
        // lo exists everywhere, so the real kea-dhcp6 -t can check the result with the subnet's interface.
        try KeaCheck.expectAccepts(with.stdout, program: "kea-dhcp6")
    }

    @Test func aValueIsDataNotSyntax() throws {
        let folder = try TemporaryFolder()
        let template = try folder.write("t.tmpl", "{ \"v\": {{ v }}, \"s\": \"{{ v }}\" }\n")
        let hostile = #"x", "y": "{{ netbox }}"#
        let result = try CommandRunner.keaNetbox(["render", template.path, "--data", "examples/demo-snapshot.json",
                                                  "--set", "v=\(hostile)"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String]
        #expect(object == ["v": hostile, "s": hostile])
    }

    @Test func aBadAssignmentIsAUsageError() throws {
        for command in ["render", "lint"] {
            let result = try CommandRunner.keaNetbox([command, "templates/kea-dhcp4.conf.tmpl", "--set", "netbox=x"])
            #expect(result.status == 64, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("'netbox' is reserved"), "\(result.stderr)")
        }
    }
}
