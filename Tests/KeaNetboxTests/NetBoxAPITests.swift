import Foundation
import NetBox
import Testing

/// `--netbox-url` against a real NetBox (scripts/netbox-server): the API reader must give exactly the database
/// reader's snapshot and warnings, and fail clearly (exit 3) without ever showing the token.
@Suite("NetBox API source", .serialized)
struct NetBoxAPITests {
    @Test("snapshot --netbox-url equals snapshot --database on the same NetBox, byte for byte, warnings included")
    func snapshotMatchesDatabase() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let viaAPI = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", netbox.url],
                                                 environment: ["NETBOX_TOKEN": try netbox.token(netbox.fullTokenFile)])
        let viaDatabase = try CommandRunner.keaNetbox(["snapshot", "--database", netbox.database])
        #expect(viaDatabase.status == 0, "\(viaDatabase.stderr)")
        #expect(viaAPI.status == 0, "\(viaAPI.stderr)")
        #expect(viaAPI.stdout == viaDatabase.stdout)
        #expect(viaAPI.stderr == viaDatabase.stderr)
        // Not two empty snapshots: the populated estate is there, with the reader's warnings about its bad data.
        for expected in ["\"srv1.example.com\"", "\"2001:db8::10\"", "\"vm1.example.com\"", "\"srv5 ünïcode\"",
                         "\"02:00:00:00:01:02\"", "\"pxelinux.0\"", "\"vlan_hint\": 10", "\"10.9.0.0/16\"",
                         "\"198.51.100.50\"", "\"critical\"",
                         // Issue 14's fields: the BMC and the alias, host and interface details.
                         "\"reason\": \"oob\"", "\"srv1-bmc.example.com\"", "\"reason\": \"interface\"",
                         "\"srv1-alias.example.com\"", "\"dhcp_duid\": \"00:03:00:01:02:00:00:00:00:01\"",
                         "\"platform\": \"linux\"", "\"manufacturer\": \"maker\"", "\"vm-server\"",
                         "\"storage ünï\"", "\"kea_subnet_id\": 42", "\"dhcp_routers\": \"192.0.2.1\"",
                         // Custom field types the API decorates, as NetBox stores them.
                         "\"boot_class\": \"pxe\"", "\"last_seen\": \"2026-11-30T08:15:00+00:00\"",
                         "\"installed\": \"2024-05-01\"", "\"weight\": 1.5"] {
            #expect(viaAPI.stdout.contains(expected), "missing \(expected)")
        }
        #expect(viaAPI.stderr.contains("02:00:00:00:00:01"), "the duplicate MAC warning: \(viaAPI.stderr)")
        #expect(viaAPI.stderr.contains("srv3"), "the two-MACs-none-primary warning: \(viaAPI.stderr)")
        #expect(viaAPI.stderr.contains("bmc-only"), "the BMC without a MAC: \(viaAPI.stderr)")
    }

    /// Pages after the first are fetched several at a time: with two objects a page every list of the test estate
    /// spans many pages, fetched out of order by the workers, and the snapshot must still be the one-page read's.
    @Test("pages fetched concurrently give the same snapshot and warnings as one page per list")
    func concurrentPagesMatchOnePage() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let url = try #require(URL(string: netbox.url))
        let token = try netbox.token(netbox.fullTokenFile)
        let whole = try NetBoxAPIReader(url: url, token: token, pageSize: 1000).read()
        let paged = try NetBoxAPIReader(url: url, token: token, pageSize: 2).read()
        #expect(whole.snapshot.reservations.count > 4, "the estate spans several pages of two")
        #expect(paged.snapshot == whole.snapshot)
        #expect(paged.warnings.map(\.message) == whole.warnings.map(\.message))
    }

    @Test("the token can come from --netbox-token-file; render gives the database's output")
    func tokenFileAndRender() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let template = CommandRunner.repositoryRoot.appendingPathComponent("templates/kea-dhcp4.conf.tmpl").path
        let viaAPI = try CommandRunner.keaNetbox(["render", template, "--netbox-url", netbox.url,
                                                  "--netbox-token-file", netbox.fullTokenFile.path],
                                                 environment: ["NETBOX_TOKEN": ""])
        let viaDatabase = try CommandRunner.keaNetbox(["render", template, "--database", netbox.database])
        #expect(viaDatabase.status == 0, "\(viaDatabase.stderr)")
        #expect(viaAPI.status == 0, "\(viaAPI.stderr)")
        #expect(viaAPI.stdout == viaDatabase.stdout)
        #expect(viaAPI.stdout.contains("02:00:00:00:00:01"))
    }

    @Test("HTTPS: verified against --ca-file and read as over HTTP; refused without it or with another CA, exit 3")
    func tlsIsVerified() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let token = try netbox.token(netbox.fullTokenFile)
        let plain = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", netbox.url],
                                                environment: ["NETBOX_TOKEN": token])
        let verified = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", netbox.tlsURL, "--ca-file", netbox.caFile],
                                                   environment: ["NETBOX_TOKEN": token])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout == plain.stdout)
        #expect(verified.stdout.contains("\"srv1.example.com\""))

        for refused in [["--netbox-url", netbox.tlsURL], ["--netbox-url", netbox.tlsURL, "--ca-file", netbox.otherCAFile]] {
            let result = try CommandRunner.keaNetbox(["snapshot"] + refused, environment: ["NETBOX_TOKEN": token])
            #expect(result.status == 3, "\(refused): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("certificate"), "\(result.stderr)")
            #expect(result.stderr.contains("--ca-file"), "\(result.stderr)")
            #expect(!result.stderr.contains(token))
        }
        let missing = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", netbox.tlsURL, "--ca-file", "/nonexistent/ca.pem"],
                                                  environment: ["NETBOX_TOKEN": token])
        #expect(missing.status == 64, "\(missing.stderr)")
        #expect(missing.stderr.contains("/nonexistent/ca.pem"), "\(missing.stderr)")
    }

    @Test("a token without view permission on IP ranges is exit 3 naming ipam.iprange, never an empty list")
    func forbiddenTypeIsAnError() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let token = try netbox.token(netbox.noRangesTokenFile)
        let result = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", netbox.url],
                                                 environment: ["NETBOX_TOKEN": token])
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("may not view ipam.iprange"), "\(result.stderr)")
        #expect(!result.stderr.contains(token))
    }

    @Test("a wrong token is exit 3 without the token in the message")
    func wrongTokenIsRefused() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let token = "0123456789abcdef0123456789abcdef01234567"
        let result = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", netbox.url],
                                                 environment: ["NETBOX_TOKEN": token])
        #expect(result.status == 3)
        #expect(result.stderr.contains("refused the token"), "\(result.stderr)")
        #expect(!result.stderr.contains(token))
    }

    @Test("a URL that is not NetBox's, and one where nothing listens, are exit 3 with the URL named")
    func wrongURLs() throws {
        guard let netbox = try NetBoxServer.available() else { return }
        let token = try netbox.token(netbox.fullTokenFile)
        let notNetBox = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", netbox.url + "/static/nothing"],
                                                    environment: ["NETBOX_TOKEN": token])
        #expect(notNetBox.status == 3)
        #expect(notNetBox.stderr.contains("/static/nothing/api/status/"), "\(notNetBox.stderr)")
        #expect(!notNetBox.stderr.contains(token))

        // Port 9 (discard) on loopback: nothing listens there in the test machine.
        let nobody = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", "http://127.0.0.1:9"],
                                                 environment: ["NETBOX_TOKEN": token])
        #expect(nobody.status == 3)
        #expect(nobody.stderr.contains("cannot reach the NetBox API at http://127.0.0.1:9/api/status/"), "\(nobody.stderr)")
        #expect(!nobody.stderr.contains(token))
    }

    @Test("no token at all is exit 3 saying where to put one; the token is never accepted on the command line")
    func missingToken() throws {
        let result = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", "http://127.0.0.1:9"],
                                                 environment: ["NETBOX_TOKEN": ""])
        #expect(result.status == 3)
        #expect(result.stderr.contains("NETBOX_TOKEN"), "\(result.stderr)")
        let argv = try CommandRunner.keaNetbox(["snapshot", "--netbox-url", "http://127.0.0.1:9", "--netbox-token", "x"])
        #expect(argv.status == 64)
    }
}
