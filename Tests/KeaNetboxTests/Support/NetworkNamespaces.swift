import Diagnostics
import Foundation
import Testing

/// Two throwaway network namespaces joined by a veth pair, for a real DHCP server and a real DHCP client that talk
/// to nothing but each other. The "server" end has 192.0.2.1/24 (and 2001:db8:1::1/64), documentation addresses
/// only; the "client" end has no address and the MAC it is given. Names are random per value, so tests and test
/// runs never collide. Both namespaces (and so the veth pair) are deleted when the value goes away.
final class NamespacePair {
    let ip: URL
    /// Namespace names (`kn-s-<hex>`, `kn-c-<hex>`) and the veth ends inside them (`kn<hex>s`, `kn<hex>c`: 11 chars).
    let server: String, client: String
    let serverInterface: String, clientInterface: String

    static let serverAddress4 = "192.0.2.1/24"
    static let serverAddress6 = "2001:db8:1::1/64"

    init(ip: URL, clientMAC: String, ipv6: Bool) throws {
        let tag = String(format: "%08x", UInt32.random(in: 0...UInt32.max))
        self.ip = ip
        server = "kn-s-\(tag)"
        client = "kn-c-\(tag)"
        serverInterface = "kn\(tag)s"
        clientInterface = "kn\(tag)c"
        do {
            try setUp(clientMAC: clientMAC, ipv6: ipv6)
        } catch {
            removeNamespaces()
            throw error
        }
    }

    deinit {
        removeNamespaces()
    }

    private func removeNamespaces() {
        // Deleting a namespace deletes the veth end inside it, and with it the peer.
        for name in [client, server] { _ = try? CommandRunner.run(ip, ["netns", "delete", name]) }
    }

    private func setUp(clientMAC: String, ipv6: Bool) throws {
        try ipCommand(["netns", "add", server])
        try ipCommand(["netns", "add", client])
        try ipCommand(["link", "add", serverInterface, "netns", server, "type", "veth",
                       "peer", "name", clientInterface, "netns", client])
        if ipv6 {
            // No duplicate address detection: addresses are usable at once, so neither Kea nor the client has to
            // wait for (or fail on) a tentative link-local address. Set before the links come up.
            for (namespace, interface) in [(server, serverInterface), (client, clientInterface)] {
                try ipCommand(["netns", "exec", namespace, "sh", "-c", "echo 0 > /proc/sys/net/ipv6/conf/\(interface)/accept_dad"])
            }
        }
        try setClientMAC(clientMAC)
        try ipCommand(["-n", server, "address", "add", Self.serverAddress4, "dev", serverInterface])
        if ipv6 { try ipCommand(["-n", server, "address", "add", Self.serverAddress6, "dev", serverInterface, "nodad"]) }
        for (namespace, interface) in [(server, serverInterface), (client, clientInterface)] {
            try ipCommand(["-n", namespace, "link", "set", "lo", "up"])
            try ipCommand(["-n", namespace, "link", "set", interface, "up"])
        }
        try waitUntilReady(ipv6: ipv6)
    }

    /// Carrier comes up asynchronously (the kernel's link watch), and the IPv6 link-local addresses with it. Kea
    /// opens no socket on an interface without carrier, so a server started too early would never answer.
    private func waitUntilReady(ipv6: Bool) throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            var ready = true
            for (namespace, interface) in [(server, serverInterface), (client, clientInterface)] {
                let link = try CommandRunner.run(ip, ["-n", namespace, "link", "show", "dev", interface]).stdout
                if !link.contains("LOWER_UP") { ready = false }
                if ipv6 {
                    let local = try CommandRunner.run(ip, ["-n", namespace, "-6", "address", "show", "dev", interface,
                                                           "scope", "link"]).stdout
                    if !local.contains("fe80:") || local.contains("tentative") { ready = false }
                }
            }
            if ready { return }
            if ContinuousClock.now > deadline {
                throw TestClusterError(message: "the veth pair \(serverInterface)/\(clientInterface) did not come up within 5 s")
            }
            usleep(10_000)
        }
    }

    /// The client end's MAC, changeable while the link is up (veth allows it).
    func setClientMAC(_ mac: String) throws {
        try ipCommand(["-n", client, "link", "set", "dev", clientInterface, "address", mac])
    }

    /// `ip netns exec NAMESPACE` before a command: the prefix that runs a program (Kea, kea-netbox) in a namespace.
    func launcher(in namespace: String) -> [String] { [ip.path, "netns", "exec", namespace] }

    /// Runs a command in the server's namespace, as software on the DHCP server host would run; its exit status is
    /// the caller's business.
    func inServer(_ command: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.run(ip, ["netns", "exec", server] + command, environment: environment)
    }

    /// Runs a command in the client's namespace; its exit status is the caller's business.
    func inClient(_ command: [String]) throws -> CommandResult {
        try CommandRunner.run(ip, ["netns", "exec", client] + command)
    }

    private func ipCommand(_ arguments: [String]) throws {
        let result = try CommandRunner.run(ip, arguments)
        guard result.status == 0 else {
            throw TestClusterError(message: "ip \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
    }
}

extension Prerequisites {
    /// Says why a test cannot run: a visible note, or a recorded failure when KEA_NETBOX_REQUIRE_ALL=1.
    static func unavailable(_ reason: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        if requireAll {
            Issue.record("\(reason) but KEA_NETBOX_REQUIRE_ALL=1", sourceLocation: sourceLocation)
        } else {
            print("note: skipping: \(reason)")
        }
    }

    /// Whether a test that needs network namespaces and `tools` (program name, Debian package) can run: root,
    /// `ip netns` that works, and each tool; `nil` after saying why not (see `unavailable`).
    static func namespaceTools(_ tools: [(program: String, package: String)],
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) -> (ip: URL, tools: [URL])? {
        func unavailable(_ reason: String) { Self.unavailable(reason, sourceLocation: sourceLocation) }
        guard geteuid() == 0 else { unavailable("network namespace tests need root"); return nil }
        guard let ip = program("ip") else { unavailable("ip is not installed (apt-get install iproute2)"); return nil }
        // Root inside a container may still lack the right to make namespaces.
        let probe = "kn-probe-\(String(format: "%08x", UInt32.random(in: 0...UInt32.max)))"
        guard let made = try? CommandRunner.run(ip, ["netns", "add", probe]), made.status == 0 else {
            unavailable("ip netns add cannot create network namespaces here")
            return nil
        }
        _ = try? CommandRunner.run(ip, ["netns", "delete", probe])
        var found: [URL] = []
        for tool in tools {
            guard let url = program(tool.program) else {
                unavailable("\(tool.program) is not installed (apt-get install \(tool.package))")
                return nil
            }
            found.append(url)
        }
        return (ip, found)
    }
}
