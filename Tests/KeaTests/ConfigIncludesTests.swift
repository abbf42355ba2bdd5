import Foundation
import Testing
@testable import Kea

/// Kea's textual `<?include "path"?>`, followed like Kea does, with positions in the included file.
@Suite struct ConfigIncludesTests {
    @Test func includedTextIsSplicedIn() throws {
        let folder = try TestFolder()
        let hostsFile = folder.file("hosts.json")
        try #"{"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.10"}"#.write(toFile: hostsFile, atomically: false, encoding: .utf8)
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          <?include "\(hostsFile)"?>
        ]}]}}
        """
        let document = try ConfigDocument.parse(text, file: "main.conf")
        #expect(ConfigSummary(document).reservationCount == 1)
    }

    @Test func findingsInAnIncludedFileNameThatFile() throws {
        let folder = try TestFolder()
        let hostsFile = folder.file("hosts.json")
        try "{\"hw-address\": \"02:00:00:00:00:01\"},\n{\"hw-address\": \"02:00:00:00:00:01\"}".write(toFile: hostsFile, atomically: false, encoding: .utf8)
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [ <?include "\(hostsFile)"?> ]}],
         "x": 1}}
        """
        let findings = SemanticChecks.run(try ConfigDocument.parse(text, file: "main.conf"))
        #expect(findings.map { "\($0.file):\($0.line):\($0.column)" } == ["\(hostsFile):2:16"])
    }

    @Test func positionsAfterAnIncludeStayInTheMainFile() {
        let folder = try? TestFolder()
        let part = folder?.file("part.json") ?? ""
        try? #""a": 1,"#.write(toFile: part, atomically: false, encoding: .utf8)
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse("{<?include \"\(part)\"?>\n \"b\": x}", file: "main.conf")
        }
        #expect(error.map { "\($0.file):\($0.line):\($0.column)" } == "main.conf:2:7")
    }

    @Test func missingIncludeIsReportedAtTheDirective() {
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse("{\n  <?include \"/nonexistent/kea-netbox.json\"?>\n}", file: "main.conf")
        }
        #expect(error.map { "\($0.file):\($0.line):\($0.column)" } == "main.conf:2:3")
        #expect(error?.message == "cannot read the included file /nonexistent/kea-netbox.json")
    }

    @Test func includeCyclesAreRefused() throws {
        let folder = try TestFolder()
        let first = folder.file("a.json")
        let second = folder.file("b.json")
        try "<?include \"\(second)\"?>".write(toFile: first, atomically: false, encoding: .utf8)
        try "<?include \"\(first)\"?>".write(toFile: second, atomically: false, encoding: .utf8)
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse("{\"a\": <?include \"\(first)\"?>}", file: "main.conf")
        }
        #expect(error?.message.contains("include cycle") == true)
    }

    @Test func directivesInsideStringsAndCommentsAreText() throws {
        let text = "{\"Dhcp4\": {\"a\": \"<?include \\\"x\\\"?>\" // <?include \"y\"?>\n /* <?include \"z\"?> */}}"
        let document = try ConfigDocument.parse(text, file: "main.conf")
        #expect(document.root["Dhcp4"]?["a"]?.stringValue == "<?include \"x\"?>")
    }
}
