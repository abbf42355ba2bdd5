import Foundation
import Testing

/// `kea-netbox install` killed with SIGKILL at moments spread over its run — reading and rendering 8,000 reservations,
/// while the check command runs, while writing — never leaves a partial destination file, and the next run cleans
/// up what the killed one left.
@Suite struct KilledInstallTests {
    static let template = """
        {
          "Dhcp4": {
            "subnet4": [
        {% for p in prefixes(family=4) sep "," %}
              { "id": {{ p.id }}, "subnet": {{ p }}, "reservations": [
        {% for r in reservations(p) sep "," %}
                { "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }}, "hostname": {{ r.hostname }} }
        {% endfor %}
              ] }
        {% endfor %}
            ]
          }
        }

        """

    /// A snapshot of 40 /24s with 200 hosts each; `variant` changes every hostname.
    static func snapshot(variant: String) -> String {
        var prefixes: [String] = []
        var reservations: [String] = []
        for subnet in 0..<40 {
            let network = "10.\(subnet / 256).\(subnet % 256)"
            prefixes.append(#"{"id": \#(subnet + 1), "prefix": "\#(network).0/24", "status": "active"}"#)
            for host in 1...200 {
                let id = subnet * 200 + host
                reservations.append(#"{"ip_id": \#(id), "ip": "\#(network).\#(host)", "prefix_length": 24, "mac": "02:00:00:\#(String(format: "%02x:%02x:%02x", subnet / 256, subnet % 256, host))", "hostname": "h\#(id)-\#(variant).example.net", "name": "h\#(id)", "kind": "device", "interface": "eth0", "status": "active"}"#)
            }
        }
        return #"{"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"}, "prefixes": [\#(prefixes.joined(separator: ","))], "ip_ranges": [], "reservations": [\#(reservations.joined(separator: ",\n"))]}"#
    }

    @Test func aKilledInstallNeverLeavesAPartialFile() throws {
        let folder = try TemporaryFolder()
        let template = try folder.write("t.tmpl", Self.template)
        let snapshots = try ["a", "b"].map { try folder.write("\($0).json", Self.snapshot(variant: $0)).path }
        let renders = try snapshots.map { snapshot in
            try CommandRunner.keaNetbox(["render", template.path, "--data", snapshot]).stdout
        }
        #expect(renders.allSatisfy { $0.utf8.count > 500_000 })
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        try Data("initial\n".utf8).write(to: URL(fileURLWithPath: output))
        let versions = ["initial\n"] + renders

        var seen: Set<Int> = []
        // From early in the read to past the end of a debug build's run (about 1 s here); the last round is not
        // killed, so one install certainly completes however busy the machine is.
        let delays: [useconds_t?] = [50_000, 200_000, 350_000, 500_000, 650_000, 800_000, 1_000_000, nil]
        for (round, delay) in delays.enumerated() {
            let process = Process()
            process.executableURL = try CommandRunner.keaNetbox
            process.arguments = ["install", template.path, "--data", snapshots[round % 2], "--output", output,
                                 "--check", "sleep 0.2; true", "--reload", "none", "--force"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if let delay {
                usleep(delay)
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()

            let text = try String(contentsOfFile: output, encoding: .utf8)
            let index = versions.firstIndex(of: text)
            #expect(index != nil, "round \(round): the destination is not one whole version (\(text.utf8.count) bytes)")
            if let index { seen.insert(index) }
        }
        #expect(seen.contains(1) || seen.contains(2), "the run that was not killed installed")

        let finish = try CommandRunner.keaNetbox(["install", template.path, "--data", snapshots[0], "--output", output,
                                                  "--check", "none", "--reload", "none", "--force"])
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == renders[0])
        #expect(try folder.entries().filter { $0.hasPrefix(".kea-dhcp4.conf.kea-netbox-") }.isEmpty,
                "the next run removes what killed runs staged")
    }
}
