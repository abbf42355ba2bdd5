import Foundation
import Testing
@testable import Kea
import KeaNetbox
import NetBox

/// `kea-netbox init`, end to end through the executable. The golden files in Fixtures/init hold the template and
/// the notes init writes for small real-world-shaped configurations; each template is then rendered against the
/// demo NetBox and must give exactly what the old cron merge gave, and pass the real `kea-dhcpN -t`.
@Suite struct InitCommandTests {
    static let fixtures = CommandRunner.repositoryRoot.appendingPathComponent("Tests/KeaNetboxTests/Fixtures/init")
    static let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path

    private func golden(_ name: String) throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// Runs init on a copy of the fixture in a fresh folder (so the notes name it by its relative path).
    private func initialise(_ config: String, _ extra: [String] = [], in folder: TemporaryFolder) throws -> CommandResult {
        try folder.write(config, try golden(config))
        return try CommandRunner.keaNetbox(["init", "--from", config, "--data", Self.demo] + extra, in: folder.url)
    }

    private func demoSnapshot() throws -> Snapshot {
        try DataSource.snapshotFile(Self.demo).load().snapshot
    }

    private func renderAndCheck(_ template: String, expected: ConfigValue, program: String, folder: TemporaryFolder) throws {
        let file = try folder.write("kea.conf.tmpl", template)
        let rendered = try CommandRunner.keaNetbox(["render", file.path, "--data", Self.demo])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try ConfigDocument.parse(rendered.stdout, file: "rendered").root.canonicalJSON == expected.canonicalJSON)
        let lint = try CommandRunner.keaNetbox(["lint", file.path, "--data", Self.demo])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        guard let kea = Prerequisites.available(program) else { return }
        let portable = try folder.write("rendered.conf", try PortableKeaConfig(folder: folder.url).text(of: rendered.stdout))
        let check = try CommandRunner.run(kea, ["-t", portable.path])
        #expect(check.status == 0, "\(program) -t: \(check.stderr)")
    }

    @Test(arguments: ["shared-networks", "v6-prefixes"])
    func goldenTemplateAndNotes(name: String) throws {
        let folder = try TemporaryFolder()
        let result = try initialise("\(name).conf", in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try golden("\(name).tmpl")))
        #expect(result.stderr == (try golden("\(name).notes")))
        let original = try ConfigDocument.parse(try golden("\(name).conf"), file: name)
        let expected = OldMerge(snapshot: try demoSnapshot(), ids: .position).merged(original)
        try renderAndCheck(result.stdout, expected: expected, program: original.family == .v6 ? "kea-dhcp6" : "kea-dhcp4", folder: folder)
    }

    @Test func handWrittenReservationsNetBoxAlsoHasAreReportedAndKeaWouldRejectThem() throws {
        let folder = try TemporaryFolder()
        let result = try initialise("reservations.conf", in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try golden("reservations.tmpl")))
        #expect(result.stderr == (try golden("reservations.notes")))
        let template = try folder.write("kea.conf.tmpl", result.stdout)
        let install = try CommandRunner.keaNetbox(["install", template.path, "--output", folder.url.appendingPathComponent("kea.conf").path,
                                                   "--data", Self.demo, "--check", "none", "--reload", "none"])
        #expect(install.status == 4, "the collisions init reported are what install refuses: \(install.stderr)")
        #expect(install.stderr.contains("02:00:00:01:00:10"))
    }

    @Test func dropStaticLeavesNetBoxTheOnlySource() throws {
        let folder = try TemporaryFolder()
        let result = try initialise("reservations.conf", ["--drop-static"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try golden("reservations-drop-static.tmpl")))
        #expect(result.stderr == (try golden("reservations-drop-static.notes")))
        let withoutStatics = try golden("reservations.conf").split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("\"hw-address\"") && !$0.contains("// web1") }
            .map { $0.replacingOccurrences(of: #"[ { "client-id": "01:02:03:04", "ip-address": "198.51.100.20" } ]"#, with: "[ ]") }
            .joined(separator: "\n")
        let expected = OldMerge(snapshot: try demoSnapshot(), ids: .position).merged(try ConfigDocument.parse(withoutStatics, file: "r"))
        try renderAndCheck(result.stdout, expected: expected, program: "kea-dhcp4", folder: folder)
    }

    @Test func theFirstInstallAfterInitOnlyAddsNetBoxReservations() throws {
        let folder = try TemporaryFolder()
        let config = try folder.write("kea-dhcp4.conf", try golden("shared-networks.conf"))
        let result = try CommandRunner.keaNetbox(["init", "--from", config.path, "--output", "kea-dhcp4.conf.tmpl"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let dryRun = try CommandRunner.keaNetbox(["install", "kea-dhcp4.conf.tmpl", "--output", config.path, "--data", Self.demo,
                                                  "--dry-run", "--check", "none", "--reload", "none"], in: folder.url)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("would change +14 -0 ~0 reservations"), "\(dryRun.stdout)")
    }

    @Test func withNetBoxIDsASubnetWithoutIDGetsThePrefixIDOrItsPositionNumber() throws {
        let folder = try TemporaryFolder()
        let result = try initialise("shared-networks.conf", ["--netbox-ids"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""id": {{ prefix("198.51.100.0/24").id | default(1) }},"#))
        let original = try ConfigDocument.parse(try golden("shared-networks.conf"), file: "s")
        let expected = OldMerge(snapshot: try demoSnapshot(), ids: .netBox).merged(original)
        try renderAndCheck(result.stdout, expected: expected, program: "kea-dhcp4", folder: folder)
        let rendered = try CommandRunner.keaNetbox(["render", folder.url.appendingPathComponent("kea.conf.tmpl").path, "--data", Self.demo])
        let document = try ConfigDocument.parse(rendered.stdout, file: "r")
        #expect(document.subnetEntries().compactMap { $0.value["id"]?.integerValue }.sorted() == [2, 12, 101])
    }

    @Test func aKeaIncludeIsKeptAsWrittenAndItsSubnetsAreLeftAlone() throws {
        let folder = try TemporaryFolder()
        let part = try folder.write("more-subnets.json", #"{ "id": 7, "subnet": "198.51.100.0/24" }"#)
        let config = try folder.write("kea.conf", """
            {"Dhcp4": {"subnet4": [
              { "id": 1, "subnet": "192.0.2.0/24" },
              <?include "\(part.path)"?>
            ]}}
            """)
        let result = try CommandRunner.keaNetbox(["init", "--from", config.path], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#"<?include "\#(part.path)"?>"#))
        #expect(result.stderr.hasPrefix("\(part.path):1:1: note: Dhcp4.subnet4[1] is in an included file: left as it is (add a NetBox lookup there by hand)\n"))
    }

    @Test func reservationsFromAnIncludedFileGetNoSecondList() throws {
        let folder = try TemporaryFolder()
        let hosts = try folder.write("hosts.json", #"[ { "hw-address": "02:00:00:00:99:01", "ip-address": "192.0.2.201" } ]"#)
        let config = try folder.write("kea.conf", """
            {"Dhcp4": {"subnet4": [ { "id": 1, "subnet": "192.0.2.0/24", "reservations": <?include "\(hosts.path)"?> } ]}}
            """)
        let result = try CommandRunner.keaNetbox(["init", "--from", config.path], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("reservations("))
        #expect(result.stderr.contains("note: the reservations of Dhcp4.subnet4[0] come from an included file"))
        let template = try folder.write("kea.conf.tmpl", result.stdout)
        let rendered = try CommandRunner.keaNetbox(["render", template.path, "--data", Self.demo], in: folder.url)
        #expect(rendered.stdout == (try String(contentsOf: config, encoding: .utf8)))
    }

    @Test func withoutFromInitWritesTheShippedStartingPoint() throws {
        for (family, file) in [("4", "templates/kea-dhcp4.conf.tmpl"), ("6", "templates/kea-dhcp6.conf.tmpl")] {
            let result = try CommandRunner.keaNetbox(["init", "--family", family])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == (try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent(file), encoding: .utf8)))
        }
    }

    @Test func initNeverReplacesAnExistingTemplate() throws {
        let folder = try TemporaryFolder()
        let existing = try folder.write("kea-dhcp4.conf.tmpl", "mine")
        let result = try CommandRunner.keaNetbox(["init", "--output", existing.path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("exists: init writes a new template and never replaces one"))
        #expect(try String(contentsOf: existing, encoding: .utf8) == "mine")
    }

    @Test func aConfigKeaWouldRefuseIsRefusedWithItsLocation() throws {
        let folder = try TemporaryFolder()
        let config = try folder.write("bad.conf", "{\"Dhcp4\": {\"valid-lifetime\": 1}, \"Logging\": {}}\n")
        let result = try CommandRunner.keaNetbox(["init", "--from", config.path])
        #expect(result.status == 4)
        #expect(result.stderr.hasPrefix("\(config.path):1:34: error: not valid Kea JSON: a second top-level key \"Logging\""))
        #expect(result.stdout.isEmpty)
    }
}

/// init against a live NetBox database: the reports come from the database, and the template rendered from the
/// database gives exactly the old merge of the same data.
@Suite struct InitDatabaseTests {
    @Test(arguments: TestCluster.Shape.allCases)
    func renderingInitsTemplateFromTheDatabaseEqualsTheOldMerge(shape: TestCluster.Shape) throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: shape, data: "demo-data.sql")
        let folder = try TemporaryFolder()
        for name in ["shared-networks", "v6-prefixes"] {
            let config = try folder.write("\(name).conf", try String(contentsOf: InitCommandTests.fixtures.appendingPathComponent("\(name).conf"), encoding: .utf8))
            let template = folder.url.appendingPathComponent("\(name).tmpl").path
            let initialised = try CommandRunner.keaNetbox(["init", "--from", config.path, "--output", template, "--netbox-ids",
                                                           "--database", database.conninfo])
            #expect(initialised.status == 0, "\(initialised.stderr)")
            #expect(initialised.stderr.contains("is not a NetBox prefix"), "the database's prefixes are compared: \(initialised.stderr)")
            let rendered = try CommandRunner.keaNetbox(["render", template, "--database", database.conninfo])
            #expect(rendered.status == 0, "\(rendered.stderr)")
            let snapshot = try DataSource.database(conninfo: database.conninfo, statementTimeout: .seconds(30)).load().snapshot
            let expected = OldMerge(snapshot: snapshot, ids: .netBox).merged(try ConfigDocument.parse(bytes: Array(try Data(contentsOf: config)), file: name))
            #expect(try ConfigDocument.parse(rendered.stdout, file: "rendered").root.canonicalJSON == expected.canonicalJSON, "\(name)")
            #expect(!snapshot.reservations.isEmpty)
        }
    }
}
