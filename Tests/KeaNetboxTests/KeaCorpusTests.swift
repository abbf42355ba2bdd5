import Foundation
import Testing
@testable import Kea
import KeaNetbox
import NetBox
import Templating

/// Kea's own example configurations (kea-doc) against the dialect reader, the template language and `init`.
/// Every file is looked at; the ones that cannot be checked one way or another are listed with the reason.
@Suite struct KeaCorpusTests {
    /// Files where the reader's verdict and the host Kea 2.2's differ, and why: each is a semantic rule of a daemon
    /// other than the DHCP servers, which the reader (Kea's lexer and grammar) does not model. No DHCP server
    /// example differs.
    static let verdictDifferences: [String: String] = [
        "agent/comments.json": "kea-ctrl-agent requires 'severity' in each loggers entry; the example has none",
        "agent/simple.json": "kea-ctrl-agent reads the credentials files the example names (/tmp/kea-creds/hiddenu), absent here",
        "ddns/all-keys.json": "kea-dhcp-ddns refuses a DNS server whose TSIG key (d2.sha1.key) is not defined; the example's is not",
        "ddns/all-keys-netconf.json": "the same undefined TSIG key d2.sha1.key",
    ]

    private static func demoSnapshot() throws -> Snapshot {
        try DataSource.snapshotFile(CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path).load().snapshot
    }

    private static func render(_ template: String, snapshot: Snapshot, name: String) throws -> String {
        let environment = ConfigRenderer(snapshot: snapshot).environment
        return try environment.render(source: TemplateSource(path: name, text: template)).output
    }

    @Test func everyFileRendersByteIdenticalAfterInitsEscaping() throws {
        let files = KeaExamples.files()
        for path in files {
            let text = try KeaExamples.text(path)
            let rendered = try Self.render(LiteralText.escaped(text), snapshot: Snapshot(schema: "4.2+"), name: path)
            #expect(rendered == text, "\(path) does not render back to itself")
        }
        #expect(files.isEmpty || files.count >= 70, "the corpus lost files: \(files.count)")
    }

    @Test func tagLookingTextNeedsTheEscaping() throws {
        // The logger patterns (%d{%y…}) are what the escaping is for: without it the file is no template.
        let text = try KeaExamples.text("kea4/advanced.json")
        #expect(throws: TemplateError.self) { try Self.render(text, snapshot: Snapshot(schema: "4.2+"), name: "advanced.json") }
    }

    @Test func theReadersVerdictEqualsKeas() throws {
        var compared = 0
        var notCompared: [String] = []
        for path in KeaExamples.files() {
            guard case .program(let name) = KeaExamples.reader(of: path) else {
                notCompared.append(path)
                continue
            }
            guard let program = Prerequisites.available(name) else { continue }
            let folder = try TemporaryFolder()
            let original = try KeaExamples.text(path)
            var ours: String?
            var checked = original
            do {
                let document = try ConfigDocument.parse(original, file: path, includes: .reject)
                let errors = SemanticChecks.run(document).filter { $0.severity == .error }
                if !errors.isEmpty, document.family != nil { ours = "semantic checks: \(errors.map(\.description))" }
                checked = try PortableKeaConfig(folder: folder.url).text(of: original)
            } catch {
                ours = "\(error)"
            }
            let file = try folder.write((path as NSString).lastPathComponent, checked)
            let kea = try CommandRunner.run(program, ["-t", file.path], environment: ["KEA_LOCKFILE_DIR": folder.url.path, "KEA_PIDFILE_DIR": folder.url.path])
            let keaAccepts = kea.status == 0
            let keaSyntaxError = kea.stderr.contains("Syntax check failed") || kea.stdout.contains("Syntax check failed")
            compared += 1
            if let why = Self.verdictDifferences[path] {
                #expect((ours == nil) != keaAccepts, "\(path) is listed as differing (\(why)) but the verdicts agree")
                continue
            }
            if ours == nil {
                #expect(keaAccepts, "\(path): the reader accepts it, \(name) -t does not: \(kea.stderr)")
            } else {
                #expect(!keaAccepts && keaSyntaxError, "\(path): the reader refuses it (\(ours ?? "")), \(name) -t says: \(kea.stderr)")
            }
        }
        #expect(notCompared == [
            "https/httpd2/kea-httpd2.conf", "https/nginx/kea-nginx.conf", "https/shell/kea-stunnel.conf",
            "netconf/comments.json", "netconf/kea-dhcp6-operations/boot.json", "netconf/kea-dhcp6-operations/logging.xml",
            "netconf/kea-dhcp6-operations/netconf.json", "netconf/kea-dhcp6-operations/startup.xml",
            "netconf/kea-dhcp6-operations/twopools.xml", "netconf/kea-dhcp6-operations/twosubnets.xml",
            "netconf/simple-dhcp4.json", "netconf/simple-dhcp6.json", "template-power-user-home/info.md",
        ] || KeaExamples.files().isEmpty)
        #expect(compared >= 60 || KeaExamples.files().isEmpty)
    }

    /// init on every DHCP server example: the template lints clean, renders against the demo NetBox to exactly
    /// the old merge (the file's subnets gain their NetBox reservations, nothing else changes), and Kea accepts it.
    @Test func initOfEveryServerExampleRendersTheOldMergeAndKeaAcceptsIt() throws {
        let snapshot = try Self.demoSnapshot()
        var servers = 0
        for path in KeaExamples.files() {
            guard case .program(let name) = KeaExamples.reader(of: path), name.hasPrefix("kea-dhcp") && name != "kea-dhcp-ddns" else { continue }
            servers += 1
            let folder = try TemporaryFolder()
            let original = try KeaExamples.text(path)
            let result = try TemplateInit.template(fromConfig: Array(original.utf8), file: path, dropStatic: false, snapshot: snapshot)
            let template = try folder.write("t.tmpl", result.template)
            let lint = Linter(snapshot: snapshot).lint(templateAt: template.path).filter { $0.severity == .error }
            #expect(lint.isEmpty, "\(path): lint: \(lint.map { $0.formatted() })")
            let rendered = try Self.render(result.template, snapshot: snapshot, name: path)
            let expected = OldMerge(snapshot: snapshot, ids: .position).merged(try ConfigDocument.parse(original, file: path))
            let renderedDocument = try ConfigDocument.parse(rendered, file: "rendered")
            #expect(renderedDocument.root.canonicalJSON == expected.canonicalJSON, "\(path)")
            // What `install --dry-run` counts against the running file: only NetBox's reservations are added.
            let before = ConfigSummary(try ConfigDocument.parse(original, file: path))
            let changes = before.changes(to: ConfigSummary(renderedDocument))
            #expect(changes.removed == 0 && changes.changed == 0, "\(path): \(changes)")
            #expect(changes.added == ConfigSummary(renderedDocument).reservationCount - before.reservationCount, "\(path)")
            guard let program = Prerequisites.available(name) else { continue }
            let file = try folder.write("rendered.conf", try PortableKeaConfig(folder: folder.url).text(of: rendered))
            let kea = try CommandRunner.run(program, ["-t", file.path])
            #expect(kea.status == 0, "\(path): \(name) -t refuses the rendered init template: \(kea.stderr)")
        }
        #expect(servers >= 50 || KeaExamples.files().isEmpty)
    }

    @Test func withoutIDsFromNetBoxTheRenderedIDsAreKeasOwn() throws {
        let path = "kea4/several-subnets.json"
        guard KeaExamples.files().contains(path) else { return }
        let original = try KeaExamples.text(path)
        let snapshot = try Self.demoSnapshot()
        let result = try TemplateInit.template(fromConfig: Array(original.utf8), file: path, dropStatic: false, snapshot: snapshot)
        let rendered = try ConfigDocument.parse(try Self.render(result.template, snapshot: snapshot, name: path), file: "r")
        #expect(rendered.root["Dhcp4"]?["subnet4"]?.arrayValue?.compactMap { $0["id"]?.integerValue } == [1, 2, 3])
    }
}
