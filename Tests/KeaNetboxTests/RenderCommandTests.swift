import Foundation
import Kea
import Testing

/// `kea-netbox render` end to end: the built executable, the shipped templates and the demo snapshot.
@Suite struct RenderCommandTests {
    let demo = "examples/demo-snapshot.json"

    @Test func rendersTheDemoDHCPv4ConfigThatKeaAccepts() throws {
        let result = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--data", demo])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#"{ "hw-address": "02:00:00:01:00:10", "ip-address": "192.0.2.10", "hostname": "web1.ams1.example.net" }"#))
        #expect(result.stdout.contains(#""hostname": "nas1""#), "a host without dns_name is named after its device")
        #expect(!result.stdout.contains("printer-old"), "a deprecated IP is not a reservation by default")
        try KeaCheck.expectAccepts(result.stdout, program: "kea-dhcp4")
    }

    @Test func rendersTheDemoDHCPv6ConfigThatKeaAccepts() throws {
        let result = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp6.conf.tmpl", "--data", demo])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""ip-addresses": [ "2001:db8:2::30" ], "hostname": "sensor-gw.fra1.example.net""#))
        try KeaCheck.expectAccepts(result.stdout, program: "kea-dhcp6")
    }

    @Test func theFromPrefixesExampleMakesOneSubnetPerTaggedPrefix() throws {
        let result = try CommandRunner.keaNetbox(["render", "examples/kea-dhcp4-from-prefixes.conf.tmpl", "--data", demo])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\"subnet\": ").count - 1 == 3)
        #expect(result.stdout.contains(#""user-context": { "netbox-prefix-id": 13, "site": "ams1", "vrf": "oob" }"#))
        try KeaCheck.expectAccepts(result.stdout, program: "kea-dhcp4")
    }

    /// Kea refuses a configuration with the same subnet twice: NetBox's 192.0.2.0/24 also in VRF "oob" (id 99)
    /// renders once, from the global table, with a warning naming the one left out.
    @Test func theFromPrefixesExampleRendersAPrefixInTwoVRFsOnce() throws {
        let folder = try TemporaryFolder()
        let demoText = try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent(demo), encoding: .utf8)
        let copy = #"{ "id": 99, "prefix": "192.0.2.0/24", "family": 4, "vrf": "oob", "status": "active", "tags": ["dhcp"] },"#
        let snapshot = try folder.write("two-vrfs.json", demoText.replacingOccurrences(of: #""prefixes": ["#, with: #""prefixes": ["# + copy))
        #expect(snapshot.path.hasSuffix("two-vrfs.json") && demoText.contains(#""prefixes": ["#))

        let result = try CommandRunner.keaNetbox(["render", "examples/kea-dhcp4-from-prefixes.conf.tmpl", "--data", snapshot.path])

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: #""subnet": "192.0.2.0/24""#).count - 1 == 1)
        #expect(!result.stdout.contains(#""id": 99"#))
        #expect(result.stderr.contains("warning: NetBox prefix 192.0.2.0/24 (id 99) is in VRF oob as well as in the global table (id 11): rendered once, from the latter"),
                "\(result.stderr)")
        try KeaCheck.expectAccepts(result.stdout, program: "kea-dhcp4")
    }

    @Test func aTemplateErrorExitsTwoNamingFileLineAndColumn() throws {
        let folder = try TemporaryFolder()
        let template = try folder.write("broken.tmpl", "{\n  \"a\": {{ nosuch }}\n}\n")
        let result = try CommandRunner.keaNetbox(["render", template.path, "--data", demo])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(template.path):2:11: error:"), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing is written when the render fails")
    }

    @Test func aFailedRenderLeavesTheOutputFileUntouched() throws {
        let folder = try TemporaryFolder()
        let template = try folder.write("stop.tmpl", "{ \"a\": 1 }\n{% error \"no data\" %}\n")
        let output = try folder.write("out.conf", "previous\n")
        let result = try CommandRunner.keaNetbox(["render", template.path, "--data", demo, "--output", output.path])
        #expect(result.status == 2)
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous\n")
        #expect(try folder.entries() == ["out.conf", "stop.tmpl"], "no temporary file is left behind")
    }

    /// Standard output is written from the render's own bytes; a write that fails (here a full device) is an
    /// error that says so, never a crash or a success.
    @Test func aStandardOutputThatCannotBeWrittenIsAnError() throws {
        let result = try CommandRunner.run(URL(fileURLWithPath: "/bin/sh"),
                                           ["-c", #"exec "$0" render templates/kea-dhcp4.conf.tmpl --data "$1" > /dev/full"#,
                                            CommandRunner.keaNetbox.path, demo])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write standard output: No space left on device"), "\(result.stderr)")
    }

    @Test func outputFileReceivesTheWholeRender() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf")
        let result = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--data", demo,
                                                  "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let stdoutRender = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--data", demo])
        #expect(try String(contentsOf: output, encoding: .utf8) == stdoutRender.stdout)
    }

    @Test func aHostileDeviceNameStaysOneString() throws {
        let folder = try TemporaryFolder()
        let hostile = #"evil", "boot-file-name": "x"# + "\n// {{ netbox }} {% error \"boom\" %} */ café"
        var snapshot = try JSONSerialization.jsonObject(with: Data(contentsOf: CommandRunner.repositoryRoot
            .appendingPathComponent(demo))) as? [String: Any] ?? [:]
        var reservations = snapshot["reservations"] as? [[String: Any]] ?? []
        reservations[0]["dns_name"] = hostile
        reservations[0]["hostname"] = hostile
        snapshot["reservations"] = reservations
        let data = try JSONSerialization.data(withJSONObject: snapshot)
        let snapshotFile = try folder.write("hostile.json", String(decoding: data, as: UTF8.self))
        let result = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--data", snapshotFile.path])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try ConfigDocument.parse(result.stdout, file: "rendered")
        let subnets = try #require(document.server?["subnet4"]?.arrayValue)
        let hostnames = subnets.flatMap { $0["reservations"]?.arrayValue ?? [] }.compactMap { $0["hostname"]?.stringValue }
        #expect(hostnames.contains(hostile))
        #expect(!result.stdout.contains(#""boot-file-name""#))
        try KeaCheck.expectAccepts(result.stdout, program: "kea-dhcp4")
    }

    @Test func aSnapshotWithAMissingKeyExitsThreeNamingTheEntry() throws {
        let folder = try TemporaryFolder()
        let snapshot = try folder.write("bad.json", """
            {"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"}, "prefixes": [], "ip_ranges": [],
             "reservations": [{"ip_id": 1, "ip": "192.0.2.1", "prefix_length": 24, "family": 4, "mac": "02:00:00:00:00:01"}]}
            """)
        let result = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--data", snapshot.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains(#"bad.json:2:19: error: bad snapshot: reservations[0]: missing key "kind""#), "\(result.stderr)")
    }

    @Test func dataAndDatabaseTogetherAreAUsageError() throws {
        let result = try CommandRunner.keaNetbox(["render", "x.tmpl", "--data", demo, "--database", "dbname=x"])
        #expect(result.status == 64)
    }
}
