import Foundation
import Testing

/// `watch` under systemd's watchdog (`WatchdogSec=`): the test owns the notification socket (`$NOTIFY_SOCKET`, a
/// datagram socket as systemd's) and reads what arrives while the watcher's install runs. A long install is one whose
/// `kea-dhcp4 -t` really takes seconds (a config of 100,000 reservations); a hung one, a check command that waits on
/// nothing. Waits poll with generous limits; nothing is timed except the silence the watchdog itself would time.
@Suite struct WatchdogTests {
    /// A snapshot of `count` hosts in 10.0.0.0/8 and a template reserving them all in one subnet.
    static func bigConfig(hosts count: Int, in folder: TemporaryFolder) throws -> (template: String, snapshot: String) {
        var reservations: [String] = []
        reservations.reserveCapacity(count)
        for index in 1...count {
            let ip = "10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)"
            let mac = String(format: "02:00:00:%02x:%02x:%02x", index >> 16 & 255, index >> 8 & 255, index & 255)
            reservations.append("""
                {"ip_id": \(index), "ip": "\(ip)", "prefix_length": 8, "family": 4, "mac": "\(mac)", "hostname": "h\(index)", \
                "dns_name": "", "name": "h\(index)", "kind": "device", "interface": "eth0", "site": null, "tenant": null, \
                "vrf": null, "status": "active", "description": "", "tags": [], "custom_fields": {}}
                """)
        }
        let snapshot = """
            {"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"},
             "prefixes": [{"id": 1, "prefix": "10.0.0.0/8", "family": 4, "vrf": null, "status": "active", "site": null,
                           "tenant": null, "role": null, "is_pool": false, "description": "", "tags": [], "custom_fields": {}}],
             "ip_ranges": [],
             "reservations": [\(reservations.joined(separator: ",\n"))]}
            """
        let template = """
            {
              "Dhcp4": {
                "interfaces-config": { "interfaces": [] },
                "subnet4": [ { "id": 1, "subnet": "10.0.0.0/8", "reservations": [
            {% for r in reservations("10.0.0.0/8") sep "," %}
                  { "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }}, "hostname": {{ r.hostname }} }
            {% endfor %}
                ] } ]
              }
            }

            """
        return (try folder.write("big.conf.tmpl", template).path, try folder.write("big.json", snapshot).path)
    }

    /// Children of `parent` whose command name is `name` (from /proc/PID/stat: "pid (comm) state ppid …").
    static func children(of parent: Int32, named name: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            let comm = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return comm == name && fields.count > 1 && Int32(fields[1]) == parent ? pid : nil
        }
    }

    /// Reads the socket until `done` holds for what arrived, tagging each message with whether `during` held when it
    /// was read.
    static func messages(_ socket: NotifySocket, seconds: Double, during: () -> Bool,
                         until done: () -> Bool) -> [(text: String, during: Bool)] {
        var all: [(String, Bool)] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !done() {
            let now = during()
            while let message = socket.receive() { all.append((message, now)) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        while let message = socket.receive() { all.append((message, false)) }
        return all
    }

    @Test func aLongCheckKeepsTheWatchdogFedAndExtendsTheStart() throws {
        guard Prerequisites.available("kea-dhcp4") != nil else { return }
        let folder = try TemporaryFolder()
        let (template, snapshot) = try Self.bigConfig(hosts: 100_000, in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let listener = try NotifySocket(path: folder.url.appendingPathComponent("notify.sock").path)
        // A 1 s watchdog: WATCHDOG=1 is due every half second, while `kea-dhcp4 -t` works for several.
        let watcher = try WatchProcess([template, "--output", output, "--data", snapshot, "--reload", "none",
                                        "--interval", "1"], folder: folder,
                                       environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "1000000"])
        defer { _ = watcher.stop() }
        let pid = watcher.process.processIdentifier
        var checkSeen = false
        let received = Self.messages(listener, seconds: 600, during: {
            let checking = !Self.children(of: pid, named: "kea-dhcp4").isEmpty
            checkSeen = checkSeen || checking
            return checking
        }, until: { watcher.count("install (start)") == 1 })
        #expect(watcher.count("installed \(output)") == 1, "\(watcher.lines)")
        #expect(checkSeen, "kea-dhcp4 -t was never seen running")
        let beats = received.filter { $0.during && $0.text.hasPrefix("WATCHDOG=1") }
        #expect(beats.count >= 3, "\(received)")
        // Before READY every beat also extends systemd's start-up time-out by the watchdog's time-out.
        #expect(beats.allSatisfy { $0.text == "WATCHDOG=1\nEXTEND_TIMEOUT_USEC=1000000" }, "\(beats)")
        let ready = try WatchCommandTests.collect(listener, seconds: 30) { all in all.contains { $0.hasPrefix("READY=1") } }
        #expect(ready.contains { $0.hasPrefix("READY=1") } || received.contains { $0.text.hasPrefix("READY=1") })
    }

    @Test func aHungCheckStarvesTheWatchdogAndSIGTERMStillStopsIt() throws {
        let folder = try TemporaryFolder()
        let (template, snapshot) = try Self.bigConfig(hosts: 10, in: folder)
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
        let listener = try NotifySocket(path: folder.url.appendingPathComponent("notify.sock").path)
        // A check that gets nowhere: the shell waits on a sleep that uses no CPU.
        let watcher = try WatchProcess([template, "--output", output, "--data", snapshot, "--reload", "none",
                                        "--check", "sleep 600; test -f {}", "--interval", "1"], folder: folder,
                                       environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "1000000"])
        let pid = watcher.process.processIdentifier
        #expect(watcher.waitFor(seconds: 60) { !Self.children(of: pid, named: "sh").isEmpty }, "\(watcher.lines)")
        let check = Self.children(of: pid, named: "sh")
        defer { for group in check { kill(-group, SIGKILL) } }
        while listener.receive() != nil {}
        // Three watchdog time-outs of silence, the check still hanging all along: systemd would have stopped it.
        let silence = Date().addingTimeInterval(3)
        var heard: [String] = []
        while Date() < silence {
            while let message = listener.receive() { heard.append(message) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(Self.children(of: pid, named: "sh") == check, "the check ended early: \(watcher.lines)")
        #expect(!heard.contains { $0.hasPrefix("WATCHDOG=1") }, "\(heard)")

        // SIGTERM does not wait for the hung check: its process group is stopped, nothing is installed.
        #expect(watcher.stop() == 0, "\(watcher.lines)")
        #expect(check.allSatisfy { kill($0, 0) != 0 }, "the check's shell survived the watcher")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try folder.entries().allSatisfy { !$0.hasPrefix(".kea-dhcp4.conf.kea-netbox-") }, "a staged file was left")
    }
}
