import Foundation
import KeaTestSupport
import Testing

/// The whole way from NetBox to a host: `kea-netbox install` renders the shipped template from a NetBox snapshot and
/// installs it, a real Kea serves it on one end of a veth pair, and a real DHCP client on the other end, with the MAC
/// NetBox knows, receives the address NetBox reserves for it. Then NetBox moves the reservation, `kea-netbox install`
/// reloads Kea through its control socket, and the same host, asking afresh, gets the new address.
///
/// Root only: each test makes its own pair of network namespaces (random names, deleted afterwards) so nothing
/// leaves the machine; only documentation addresses (192.0.2.0/24, 2001:db8::/32) are used. The installer runs
/// inside the server's namespace, as it would on the DHCP server: `kea-dhcpN -t` checks that the configured
/// interface exists there.
@Suite struct DHCPClientTests {
    /// web1 in examples/demo-snapshot.json: 192.0.2.10 and 2001:db8:1::10.
    static let web1 = "02:00:00:01:00:10"
    /// A MAC NetBox does not know.
    static let stranger = "02:00:00:00:ff:01"

    let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path

    /// The shipped template made runnable in a folder (as LiveInstallTests does), then bound to the server's veth
    /// end, with Kea's log on stdout (RunningKea keeps it in kea.log).
    func runnableTemplate(_ family: Int, interface: String, in folder: TemporaryFolder) throws -> (template: URL, socket: String) {
        let (template, socket) = try LiveInstallTests().portable(family, in: folder)
        let portable = try String(contentsOf: template, encoding: .utf8)
        var text = portable.replacingOccurrences(of: #""interfaces": []"#, with: #""interfaces": [ "\#(interface)" ]"#)
            .replacingOccurrences(of: #""output": "syslog""#, with: #""output": "stdout""#)
        if family == 6 {
            // A DHCPv6 client speaks from its link-local address; Kea finds the subnet of a directly connected
            // client by the subnet's "interface".
            text = text.replacingOccurrences(of: #""subnet": "2001:db8:1::/64","#,
                                             with: #""subnet": "2001:db8:1::/64", "interface": "\#(interface)","#)
        }
        #expect(text.components(separatedBy: interface).count == (family == 6 ? 3 : 2),
                "the shipped template's interfaces or subnet changed shape; adjust this test")
        return (try folder.write(template.lastPathComponent, text), socket)
    }

    /// The demo snapshot, with NetBox having moved one address (the same host, interface and MAC).
    func snapshot(moving old: String, to new: String, in folder: TemporaryFolder) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo))) as? [String: Any] ?? [:]
        var reservations = object["reservations"] as? [[String: Any]] ?? []
        let index = try #require(reservations.firstIndex { ($0["ip"] as? String) == old }, "no \(old) in the demo snapshot")
        reservations[index]["ip"] = new
        object["reservations"] = reservations
        return try folder.write("moved.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)).path
    }

    /// `kea-netbox install` in the server's namespace, with `kea`'s programs and folders.
    func install(_ arguments: [String], in pair: NamespacePair, kea: KeaUnderTest, folder: TemporaryFolder) throws -> CommandResult {
        try pair.inServer([try CommandRunner.keaNetbox.path, "install"] + arguments,
                          environment: kea.environment(folder: folder.url.path))
    }

    /// The end of Kea's log, for failure messages.
    func keaLog(_ folder: TemporaryFolder) -> String {
        let text = (try? String(contentsOf: folder.url.appendingPathComponent("kea.log"), encoding: .utf8)) ?? ""
        return "kea.log: …" + String(text.suffix(1500))
    }

    // MARK: DHCPv4 with busybox udhcpc

    /// One DHCPv4 exchange from scratch (udhcpc keeps no lease): DISCOVER, OFFER, REQUEST, ACK, then quit. Three
    /// DISCOVERs two seconds apart at most. Returns the address bound, or nil with udhcpc's own words.
    func udhcpc(_ busybox: URL, in pair: NamespacePair, script: URL) throws -> (address: String?, log: String) {
        let result = try pair.inClient([busybox.path, "udhcpc", "-i", pair.clientInterface, "-f", "-q", "-n",
                                        "-t", "3", "-T", "2", "-s", script.path])
        let address = result.stdout.split(separator: "\n").first { $0.hasPrefix("bound ") }.map { String($0.dropFirst(6)) }
        return (address, "udhcpc exited \(result.status): \(result.stderr)")
    }

    /// A kea-dhcp4 serving the demo on the server's veth end, and busybox's udhcpc ready on the client's; nil when
    /// a prerequisite is missing (Prerequisites records it).
    struct ServedV4 {
        let busybox: URL
        let folder: TemporaryFolder
        let pair: NamespacePair
        let template: URL
        let socket: String
        let output: String
        let script: URL
        let server: RunningKea
    }

    func servedV4(kea: KeaUnderTest) throws -> ServedV4? {
        guard Prerequisites.usable(kea),
              let found = Prerequisites.namespaceTools([("busybox", "busybox")]),
              let kea4 = kea.program("kea-dhcp4").map(URL.init(fileURLWithPath:)) else { return nil }
        let folder = try TemporaryFolder()
        let pair = try NamespacePair(ip: found.ip, clientMAC: Self.web1, ipv6: false)
        let (template, socket) = try runnableTemplate(4, interface: pair.serverInterface, in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        // udhcpc configures nothing itself: its script does, and this one only says what was bound.
        let script = try folder.write("udhcpc.sh", "#!/bin/sh\n[ \"$1\" = bound ] && echo \"bound $ip\"\nexit 0\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let first = try install([template.path, "--data", demo, "--output", output, "--reload", "none"], in: pair,
                                kea: kea, folder: folder)
        try #require(first.status == 0, "\(first.stderr)")
        let server = try RunningKea(program: kea4, config: output, folder: folder, socketPath: socket,
                                    launcher: pair.launcher(in: pair.server), kea: kea)
        return ServedV4(busybox: found.tools[0], folder: folder, pair: pair, template: template, socket: socket,
                        output: output, script: script, server: server)
    }

    @Test(arguments: KeaUnderTest.all)
    func aClientReceivesItsNetBoxReservationFromKea4AndTheMovedOneAfterInstall(kea: KeaUnderTest) throws {
        guard let served = try servedV4(kea: kea) else { return }
        let (busybox, folder, pair, template, socket, output, script, server) =
            (served.busybox, served.folder, served.pair, served.template, served.socket, served.output, served.script, served.server)

        // The host NetBox knows gets its reserved address, not one from the pool. (Nothing after this means much
        // without it, hence #require.)
        let reserved = try udhcpc(busybox, in: pair, script: script)
        try #require(reserved.address == "192.0.2.10", "\(reserved.log)\n\(keaLog(folder))")

        // A host NetBox does not know gets a pool address (192.0.2.100 - 192.0.2.199): the reservation made the
        // difference above.
        try pair.setClientMAC(Self.stranger)
        let pooled = try udhcpc(busybox, in: pair, script: script)
        let lastOctet = pooled.address.flatMap { $0.hasPrefix("192.0.2.") ? Int($0.dropFirst(8)) : nil }
        #expect(lastOctet.map { (100...199).contains($0) } == true, "\(pooled.address ?? "none"): \(pooled.log)")

        // NetBox moves web1 to 192.0.2.77; install (default reload: the config's control socket) …
        let moved = try snapshot(moving: "192.0.2.10", to: "192.0.2.77", in: folder)
        let second = try install([template.path, "--data", moved, "--output", output], in: pair, kea: kea, folder: folder)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("+0 -0 ~1 reservations"), "\(second.stdout)")
        #expect(second.stdout.contains("reloaded via control socket \(socket)"), "\(second.stdout)")

        // … and web1, asking afresh, gets the new address (Kea drops its lease of the old one by itself).
        try pair.setClientMAC(Self.web1)
        let again = try udhcpc(busybox, in: pair, script: script)
        #expect(again.address == "192.0.2.77", "\(again.log)\n\(keaLog(folder))")
        withExtendedLifetime(server) {}
    }

    /// A reload the server refuses closes its DHCP sockets (every version, measured): after kea-netbox's rollback the
    /// same client is served again.
    @Test(arguments: KeaUnderTest.all)
    func aRefusedReloadIsRolledBackAndTheClientIsServedAgain(kea: KeaUnderTest) throws {
        guard let served = try servedV4(kea: kea) else { return }
        let (busybox, folder, pair, template, output, script, server) =
            (served.busybox, served.folder, served.pair, served.template, served.output, served.script, served.server)
        let before = try udhcpc(busybox, in: pair, script: script)
        try #require(before.address == "192.0.2.10", "\(before.log)\n\(keaLog(folder))")

        // A lease "file" that is a folder: `kea-dhcp4 -t` accepts it, the server's reload fails on it.
        let leases = folder.url.appendingPathComponent("leases.csv").path
        let refusedText = try String(contentsOf: template, encoding: .utf8).replacingOccurrences(of: leases, with: folder.url.appendingPathComponent("leases-folder").path)
        #expect(refusedText.contains("leases-folder"), "the portable template's lease file moved; adjust this test")
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("leases-folder"), withIntermediateDirectories: false)
        let refused = try folder.write("refused.tmpl", refusedText)
        let second = try install([refused.path, "--data", demo, "--output", output], in: pair, kea: kea, folder: folder)
        #expect(second.status == 5, "\(second.stdout)\(second.stderr)")
        #expect(second.stderr.contains("the previous configuration was restored"), "\(second.stderr)")

        let after = try udhcpc(busybox, in: pair, script: script)
        #expect(after.address == "192.0.2.10", "served again after the rollback: \(after.log)\n\(keaLog(folder))")
        withExtendedLifetime(server) {}
    }

    // MARK: DHCPv6 with ISC dhclient

    /// One DHCPv6 exchange from scratch (a new lease file each time, so a new DUID-LL from the current MAC and no
    /// address hint): SOLICIT, ADVERTISE, REQUEST, REPLY. dhclient runs in the foreground (`-d`, so no daemon is
    /// left behind) until its lease file shows the bound address, then is killed by pid; 10 s at most.
    func dhclient6(_ dhclient: URL, in pair: NamespacePair, folder: TemporaryFolder, run: Int) throws -> (address: String?, log: String) {
        // Lease and pid file where Debian's AppArmor profile for dhclient lets it write (/run/dhclient*), in case
        // it is enforced; the script /bin/true configures nothing (an exec it may refuse is ignored by dhclient).
        let leases = URL(fileURLWithPath: "/run/dhclient-\(pair.client)-\(run).leases")
        let pidFile = URL(fileURLWithPath: "/run/dhclient-\(pair.client)-\(run).pid")
        let log = try folder.write("dhclient6-\(run).log", "")
        let process = Process()
        process.executableURL = pair.ip
        process.arguments = ["netns", "exec", pair.client, dhclient.path, "-6", "-1", "-d", "-D", "LL", "-N",
                             "-sf", "/bin/true", "-lf", leases.path, "-pf", pidFile.path, pair.clientInterface]
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        defer {
            // SIGKILL: the child may have inherited a blocked signal mask (see RunningKea), and it only holds a lease.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            for file in [leases, pidFile] { try? FileManager.default.removeItem(at: file) }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        var address: String?
        while address == nil, process.isRunning, ContinuousClock.now < deadline {
            usleep(20_000)
            // dhclient writes the whole lease block at once; take the address only once the block is closed.
            let text = (try? String(contentsOf: leases, encoding: .utf8)) ?? ""
            if let block = text.range(of: "lease6 {"), text[block.upperBound...].contains("\n}\n"),
               let match = text[block.upperBound...].firstMatch(of: /iaaddr ([0-9a-f:]+) \{/) {
                address = String(match.1)
            }
        }
        let words = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (address, "dhclient: …" + String(words.suffix(1000)))
    }

    /// What a DHCPv6 exchange needs: this Kea's kea-dhcp6, ISC dhclient, `ip` and an IPv6 kernel; nil when one is
    /// missing (Prerequisites records it).
    func v6Prerequisites(kea: KeaUnderTest) -> (kea6: URL, dhclient: URL, ip: URL)? {
        guard Prerequisites.usable(kea),
              let found = Prerequisites.namespaceTools([("dhclient", "isc-dhcp-client")]),
              let kea6 = kea.program("kea-dhcp6").map(URL.init(fileURLWithPath:)) else { return nil }
        guard FileManager.default.fileExists(atPath: "/proc/sys/net/ipv6") else {
            Prerequisites.unavailable("IPv6 is disabled in this kernel")
            return nil
        }
        return (kea6, found.tools[0], found.ip)
    }

    @Test(arguments: KeaUnderTest.all)
    func aClientReceivesItsNetBoxReservationFromKea6AndTheMovedOneAfterInstall(kea: KeaUnderTest) throws {
        guard let (kea6, dhclient, ip) = v6Prerequisites(kea: kea) else { return }
        let folder = try TemporaryFolder()
        let pair = try NamespacePair(ip: ip, clientMAC: Self.web1, ipv6: true)
        let (template, socket) = try runnableTemplate(6, interface: pair.serverInterface, in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp6.conf").path

        let first = try install([template.path, "--data", demo, "--output", output, "--reload", "none"], in: pair,
                                kea: kea, folder: folder)
        try #require(first.status == 0, "\(first.stderr)")
        let server = try RunningKea(program: kea6, config: output, folder: folder, socketPath: socket,
                                    launcher: pair.launcher(in: pair.server), kea: kea)

        // The template reserves by hw-address; Kea reads the MAC out of the client's DUID-LL.
        let reserved = try dhclient6(dhclient, in: pair, folder: folder, run: 1)
        try #require(reserved.address == "2001:db8:1::10", "\(reserved.log)\n\(keaLog(folder))")

        let moved = try snapshot(moving: "2001:db8:1::10", to: "2001:db8:1::77", in: folder)
        let second = try install([template.path, "--data", moved, "--output", output], in: pair, kea: kea, folder: folder)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("+0 -0 ~1 reservations"), "\(second.stdout)")
        #expect(second.stdout.contains("reloaded via control socket \(socket)"), "\(second.stdout)")

        let again = try dhclient6(dhclient, in: pair, folder: folder, run: 2)
        #expect(again.address == "2001:db8:1::77", "\(again.log)\n\(keaLog(folder))")
        withExtendedLifetime(server) {}
    }
}
