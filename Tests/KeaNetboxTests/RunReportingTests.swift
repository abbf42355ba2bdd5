import Foundation
import Testing

/// What a timer job leaves for monitoring and for the operator: `--summary json`, `--metrics-file`, `-q` / `-v`
/// and the messages a newcomer meets first (a wrong template path, a missing output folder). Through the
/// executable, with the shipped template, the demo snapshot and the real `kea-dhcp4 -t`.
@Suite struct RunReportingTests {
    let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path

    /// The shipped template without what a CI machine lacks (see PortableTemplate).
    func portableTemplate(in folder: TemporaryFolder) throws -> URL {
        try PortableTemplate.shipped(4, in: folder).template
    }

    func json(_ text: String) throws -> [String: Any] {
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1, "one JSON object on one line: \(text)")
        return try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any] ?? [:]
    }

    @Test func summaryJSONCarriesTheFactsOfTheSummaryLine() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let first = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output,
                                                 "--reload", "none", "--summary", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let installed = try json(first.stdout)
        #expect(installed["status"] as? String == "installed")
        #expect(installed["exit_code"] as? Int == 0)
        #expect(installed["output"] as? String == output)
        #expect(installed["subnets"] as? Int == 3)
        let reservations = installed["reservations"] as? [String: Any]
        #expect(reservations?["total"] as? Int == 17)
        #expect(reservations?["added"] as? Int == 17)
        #expect(reservations?["removed"] as? Int == 0)
        #expect((installed["reload"] as? [String: Any])?["result"] as? String == "skipped")
        #expect((installed["summary"] as? String)?.hasPrefix("installed \(output): +17 -0 ~0 reservations") == true)
        #expect(installed["error"] is NSNull)

        let second = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output,
                                                  "--reload", "none", "--summary", "json"])
        let unchanged = try json(second.stdout)
        #expect(unchanged["status"] as? String == "unchanged")
        #expect((unchanged["reload"] as? [String: Any])?["result"] is NSNull)
    }

    @Test func summaryJSONReportsAFailedRunWithItsExitCode() throws {
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let broken = try folder.write("broken.json", "{\"format\": \"kea-netbox-snapshot/1\"")
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", broken.path, "--output", output,
                                                  "--summary", "json"])
        #expect(result.status == 3)
        let failed = try json(result.stdout)
        #expect(failed["status"] as? String == "failed")
        #expect(failed["exit_code"] as? Int == 3)
        #expect((failed["error"] as? String)?.contains(broken.path) == true, "\(failed)")
        #expect(failed["subnets"] is NSNull)
        #expect(result.stderr.contains(broken.path), "the error is still printed for people: \(result.stderr)")
    }

    @Test func aDryRunsDiffIsInsideTheJSON() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output,
                                                  "--dry-run", "--reload", "none", "--summary", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let dryRun = try json(result.stdout)
        #expect(dryRun["status"] as? String == "dry-run")
        let diff = try #require(dryRun["diff"] as? String)
        #expect(diff.hasPrefix("---") && diff.contains("\n+") && diff.contains("192.0.2.0/24"), "\(diff)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func theMetricsFileKeepsTheLastSuccessThroughAFailedRun() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let metrics = folder.url.appendingPathComponent("kea-netbox.prom").path
        let label = "{output=\"\(output)\"}"

        let good = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output,
                                                "--reload", "none", "--metrics-file", metrics])
        #expect(good.status == 0, "\(good.stderr)")
        let afterSuccess = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(afterSuccess.contains("# TYPE kea_netbox_last_run_success gauge\nkea_netbox_last_run_success\(label) 1\n"))
        #expect(afterSuccess.contains("kea_netbox_reservations\(label) 17\n"))
        #expect(afterSuccess.contains("kea_netbox_subnets\(label) 3\n"))
        #expect(afterSuccess.contains("kea_netbox_last_run_exit_code\(label) 0\n"))
        #expect(afterSuccess.contains("kea_netbox_last_run_reservations_added\(label) 17\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: metrics)[.posixPermissions] as? Int
        #expect(mode == 0o644, "node_exporter runs as its own user")
        let successTime = try #require(value(of: "kea_netbox_last_success_timestamp_seconds", label: label, in: afterSuccess))
        #expect(successTime > 1_700_000_000)

        let broken = try folder.write("broken.json", "{")
        let bad = try CommandRunner.keaNetbox(["install", template.path, "--data", broken.path, "--output", output,
                                               "--reload", "none", "--metrics-file", metrics])
        #expect(bad.status == 3)
        let afterFailure = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(afterFailure.contains("kea_netbox_last_run_success\(label) 0\n"))
        #expect(afterFailure.contains("kea_netbox_last_run_exit_code\(label) 3\n"))
        #expect(value(of: "kea_netbox_last_success_timestamp_seconds", label: label, in: afterFailure) == successTime)
        #expect(afterFailure.contains("kea_netbox_reservations\(label) 17\n"), "the installed file still has them")
        #expect(!afterFailure.contains("kea_netbox_last_run_reservations_added"), "a failed run counted nothing")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".kea-netbox.prom") }
        #expect(leftovers.isEmpty, "replaced by rename, no staging file left: \(leftovers)")
    }

    func value(of metric: String, label: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(metric + label + " ") }
            .flatMap { Double($0.dropFirst(metric.count + label.count + 1)) }
    }

    @Test func aTemplatePathThatIsAFolderIsNamedAsSuch() throws {
        let folder = try TemporaryFolder()
        for command in [["render", folder.url.path, "--data", demo],
                        ["install", folder.url.path, "--data", demo, "--output", folder.url.appendingPathComponent("k.conf").path]] {
            let result = try CommandRunner.keaNetbox(command)
            #expect(result.status == 2, "\(command[0]): \(result.stderr)")
            #expect(result.stderr.contains("'\(folder.url.path)' is a folder, not a template file"), "\(result.stderr)")
            #expect(!result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
        }
    }

    @Test func aMissingTemplateIsReportedBeforeNetBoxIsRead() throws {
        let folder = try TemporaryFolder()
        let missing = folder.url.appendingPathComponent("kea-dhcp4.conf.tmpl").path
        // A database that cannot answer: had it been read first, the run would exit 3 naming the database.
        let unreachable = "host=\(folder.url.path) port=1 dbname=netbox connect_timeout=2"
        for command in [["render", missing, "--database", unreachable],
                        ["install", missing, "--database", unreachable, "--output", folder.url.appendingPathComponent("k.conf").path]] {
            let result = try CommandRunner.keaNetbox(command)
            #expect(result.status == 2, "\(command[0]): \(result.stderr)")
            #expect(result.stderr.contains("cannot load the template: cannot read '\(missing)': No such file or directory"), "\(result.stderr)")
            #expect(!result.stderr.contains("NetBox database"), "\(result.stderr)")
        }
    }

    @Test func aMissingOutputFolderIsNamed() throws {
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("etc/kea/kea-dhcp4.conf").path
        let result = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the folder of --output \(output) does not exist: \(folder.url.path)/etc/kea"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("cannot open the lock file"), "\(result.stderr)")
    }

    /// As root, the test runs kea-netbox as `nobody`; as another user, the folder is made read-only. Either way the
    /// kernel refuses the lock file for real.
    @Test func anOutputFolderTheUserCannotWriteSaysWhatInstallWritesThere() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.path)
        let template = try portableTemplate(in: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: template.path)
        let kea = folder.url.appendingPathComponent("kea")
        try FileManager.default.createDirectory(at: kea, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: getuid() == 0 ? 0o755 : 0o555])
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: kea.path) }
        let output = kea.appendingPathComponent("kea-dhcp4.conf").path
        let arguments = ["install", template.path, "--data", demo, "--output", output, "--check", "none", "--reload", "none"]
        let result = getuid() == 0
            ? try CommandRunner.run(URL(fileURLWithPath: "/usr/sbin/runuser"),
                                    ["-u", "nobody", "--", try CommandRunner.keaNetbox.path] + arguments)
            : try CommandRunner.keaNetbox(arguments)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot create files in \(kea.path) as user "), "\(result.stderr)")
        #expect(result.stderr.contains("run it as root, or make the folder writable for this user"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// Kea keys leases by subnet id: a NetBox prefix re-created with a new id renumbers the subnet, which the guard
    /// names and refuses like a mass removal (instead of "removes 5 of 17 reservations").
    @Test func aSubnetWhoseIDChangesIsNamedAndRefusedUnlessForced() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let template = try portableTemplate(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let first = try CommandRunner.keaNetbox(["install", template.path, "--data", demo, "--output", output, "--reload", "none"])
        #expect(first.status == 0, "\(first.stderr)")
        let installed = try String(contentsOfFile: output, encoding: .utf8)

        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo))) as? [String: Any] ?? [:]
        object["prefixes"] = (object["prefixes"] as? [[String: Any]] ?? []).map { prefix in
            var prefix = prefix
            if prefix["prefix"] as? String == "192.0.2.0/24" { prefix["id"] = 99 }
            return prefix
        }
        let renumbered = try folder.write("renumbered.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))

        let refused = try CommandRunner.keaNetbox(["install", template.path, "--data", renumbered.path, "--output", output,
                                                   "--reload", "none"])
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("subnet 192.0.2.0/24 (Dhcp4.subnet4[0]) changes its id from 11 to 99"), "\(refused.stderr)")
        #expect(refused.stderr.contains("Kea keys leases by subnet id"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("removes"), "not reported as removed reservations: \(refused.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == installed)

        let forced = try CommandRunner.keaNetbox(["install", template.path, "--data", renumbered.path, "--output", output,
                                                  "--reload", "none", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains(#""id": 99"#))
    }
}
