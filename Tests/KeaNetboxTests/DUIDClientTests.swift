import Foundation
import KeaTestSupport
import Testing

/// A DHCPv6 host reserved by the DUID kept in a NetBox custom field: the shipped NetBox-driven v6 template renders
/// `"duid"` from the interface's `dhcp_duid`, a real kea-dhcp6 serves it on a veth pair, and a real dhclient whose
/// MAC is not the one NetBox has for the interface (so `hw-address` cannot match) gets the reserved address
/// because its DUID-LL is the one in the custom field. Root only, like DHCPClientTests.
@Suite struct DUIDClientTests {
    /// The client's own MAC: dhclient -D LL makes its DUID from it (type 3, hardware type 1, the MAC).
    static let clientMAC = "02:00:00:00:d6:01"

    /// The demo snapshot with web1's IPv6 interface carrying the client's DUID-LL.
    func snapshot(in folder: TemporaryFolder) throws -> String {
        let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: demo)) as? [String: Any] ?? [:]
        var reservations = object["reservations"] as? [[String: Any]] ?? []
        let index = try #require(reservations.firstIndex { ($0["ip"] as? String) == "2001:db8:1::10" })
        #expect(reservations[index]["mac"] as? String != Self.clientMAC)
        reservations[index]["interface_custom_fields"] = ["dhcp_duid": "00:03:00:01:" + Self.clientMAC.uppercased()]
        object["reservations"] = reservations
        return try folder.write("duid.json", String(decoding: try JSONSerialization.data(withJSONObject: object),
                                                    as: UTF8.self)).path
    }

    /// templates/kea-dhcp6-netbox.conf.tmpl with its socket, lease file and log in the test folder.
    func template(in folder: TemporaryFolder) throws -> (template: URL, socket: String) {
        let socket = folder.url.appendingPathComponent("kea6.sock").path
        let text = try String(contentsOf: CommandRunner.repositoryRoot
            .appendingPathComponent("templates/kea-dhcp6-netbox.conf.tmpl"), encoding: .utf8)
            .replacingOccurrences(of: "/run/kea/kea6-ctrl-socket", with: socket)
            .replacingOccurrences(of: "/var/lib/kea/kea-leases6.csv", with: folder.url.appendingPathComponent("leases.csv").path)
            .replacingOccurrences(of: #""output": "syslog""#, with: #""output": "stdout""#)
            // kea-dhcp6 would otherwise persist its DUID under /var/lib/kea.
            .replacingOccurrences(of: #""Dhcp6": {"#, with: #""Dhcp6": { "server-id": { "type": "LLT", "persist": false },"#)
        return (try folder.write("kea-dhcp6-netbox.conf.tmpl", text), socket)
    }

    @Test(arguments: KeaUnderTest.all)
    func aHostReservedByTheDUIDOfANetBoxCustomFieldGetsItsAddress(kea: KeaUnderTest) throws {
        let clients = DHCPClientTests()
        guard let (kea6, dhclient, ip) = clients.v6Prerequisites(kea: kea) else { return }
        let folder = try TemporaryFolder()
        let pair = try NamespacePair(ip: ip, clientMAC: Self.clientMAC, ipv6: true)
        let (template, socket) = try template(in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp6.conf").path

        let install = try clients.install([template.path, "--data", try snapshot(in: folder), "--output", output,
                                           "--set", "interface=\(pair.serverInterface)", "--reload", "none"], in: pair,
                                          kea: kea, folder: folder)
        try #require(install.status == 0, "\(install.stderr)")
        let config = try String(contentsOf: URL(fileURLWithPath: output), encoding: .utf8)
        #expect(config.contains(#"{ "duid": "00:03:00:01:02:00:00:00:d6:01", "ip-addresses": [ "2001:db8:1::10" ]"#), "\(config)")
        let server = try RunningKea(program: kea6, config: output, folder: folder, socketPath: socket,
                                    launcher: pair.launcher(in: pair.server), kea: kea)

        let reserved = try clients.dhclient6(dhclient, in: pair, folder: folder, run: 1)
        #expect(reserved.address == "2001:db8:1::10", "\(reserved.log)\n\(clients.keaLog(folder))")
        withExtendedLifetime(server) {}
    }
}
