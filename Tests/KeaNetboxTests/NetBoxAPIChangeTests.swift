import Foundation
import Testing

/// The change probe through the API (`install`'s skip, `watch --netbox-url`) against the real NetBox, edited
/// through its own REST API as an operator's script would: the edit writes NetBox's change log. Part of the
/// serialized `NetBoxAPITests` suite, so no other test reads NetBox while one edits it; every edit is undone.
extension NetBoxAPITests {
    /// REST calls with curl, the token in a header file rather than in curl's arguments.
    struct REST {
        let netbox: NetBoxServer
        let header: URL

        init(_ netbox: NetBoxServer, folder: TemporaryFolder) throws {
            self.netbox = netbox
            let token = try netbox.token(netbox.fullTokenFile)
            header = try folder.write("auth-header", "Authorization: Bearer \(token)\nContent-Type: application/json\n")
        }

        func call(_ method: String, _ path: String, _ body: String? = nil) throws -> String {
            var arguments = ["-s", "-f", "-X", method, "-H", "@\(header.path)", netbox.url + path]
            if let body { arguments += ["-d", body] }
            let result = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments)
            guard result.status == 0 else { throw NetBoxServerError(message: "curl \(method) \(path): \(result.status)") }
            return result.stdout
        }

        /// The id of the IP address object `address` (with its mask).
        func addressID(_ address: String) throws -> Int {
            let text = try call("GET", "/api/ipam/ip-addresses/?address=\(address)&fields=id")
            guard let match = text.firstMatch(of: /"id":(\d+)/), let id = Int(match.1) else {
                throw NetBoxServerError(message: "no IP address \(address) in NetBox: \(text)")
            }
            return id
        }

        func rename(_ id: Int, to dnsName: String) throws {
            _ = try call("PATCH", "/api/ipam/ip-addresses/\(id)/", "{\"dns_name\": \"\(dnsName)\"}")
        }
    }

    @Test("install --netbox-url: an unchanged NetBox is not read again; an edit through the API is read and installed")
    func installSkipsUntilAnAPIEdit() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let folder = try TemporaryFolder()
        let rest = try REST(netbox, folder: folder)
        let template = CommandRunner.repositoryRoot.appendingPathComponent("templates/kea-dhcp4.conf.tmpl").path
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let install = ["install", template, "--output", output, "--netbox-url", netbox.url,
                       "--netbox-token-file", netbox.fullTokenFile.path, "--check", "none", "--reload", "none"]
        let id = try rest.addressID("192.0.2.101/24")
        defer { _ = try? rest.rename(id, to: "vm1.example.com") }

        let first = try CommandRunner.keaNetbox(install)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("installed"), "\(first.stdout)")
        let again = try CommandRunner.keaNetbox(install)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("nothing changed in NetBox"), "\(again.stdout)")
        #expect(again.stdout.contains("not read"), "\(again.stdout)")

        try rest.rename(id, to: "vm1-moved.example.com")
        let edited = try CommandRunner.keaNetbox(install)
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stdout.contains("~1"), "\(edited.stdout)")
        let installed = try String(contentsOfFile: output, encoding: .utf8)
        #expect(installed.contains("\"vm1-moved.example.com\""))
        #expect(!installed.contains("\"vm1.example.com\""))
    }

    @Test("watch --netbox-url: an edit through the API reaches the installed file; an idle NetBox only gets probes")
    func watchSeesAnAPIEdit() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let folder = try TemporaryFolder()
        let rest = try REST(netbox, folder: folder)
        let template = CommandRunner.repositoryRoot.appendingPathComponent("templates/kea-dhcp4.conf.tmpl").path
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let id = try rest.addressID("192.0.2.101/24")
        defer { _ = try? rest.rename(id, to: "vm1.example.com") }

        let watcher = try WatchProcess([template, "--output", output, "--netbox-url", netbox.url,
                                        "--netbox-token-file", netbox.fullTokenFile.path, "--check", "none",
                                        "--reload", "none", "--interval", "0.5", "--quiet-period", "1",
                                        "--max-delay", "30", "-v"], folder: folder)
        #expect(watcher.waitFor(seconds: 120) { watcher.count("install (start): ") == 1 }, "\(watcher.lines)")
        #expect(watcher.waitFor(seconds: 120) { watcher.count("watch: probe: no change") >= 2 }, "\(watcher.lines)")
        let before = try String(contentsOfFile: output, encoding: .utf8)
        #expect(before.contains("\"vm1.example.com\""))

        try rest.rename(id, to: "vm1-watched.example.com")
        let seen = watcher.waitFor(seconds: 120) {
            ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").contains("\"vm1-watched.example.com\"")
        }
        #expect(seen, "\(watcher.lines)")
        #expect(watcher.count("watch: NetBox changed") >= 1, "\(watcher.lines)")
        #expect(watcher.stop() == 0)
    }
}
