import Foundation
import KeaTestSupport
import Testing

/// `kea-netbox watch` against NetBox-shaped PostgreSQL databases and a running kea-dhcp4: NetBox edits made as
/// NetBox makes them (the row with its last_updated, and a change-log row) reach the server's `config-get`.
/// Waits poll with generous limits; nothing is timed.
@Suite struct WatchCommandTests {
    /// A NetBox-side rename of the IP's DNS name, in one transaction like a save through the UI or API.
    static func rename(_ address: String, to dns: String) -> String {
        """
        BEGIN;
        UPDATE ipam_ipaddress SET dns_name = '\(dns)' WHERE address = '\(address)';
        SELECT fx_log_change('ipam', 'ipaddress', (SELECT id FROM ipam_ipaddress WHERE address = '\(address)'), 'update');
        COMMIT;
        """
    }

    /// Everything one test needs: a database with the demo data, the shipped v4 template made portable, a Kea.
    final class Setup {
        let folder: TemporaryFolder
        let database: TestCluster
        let template: String
        let socket: String
        let output: String
        let program: URL
        let environment: [String: String]

        init?(host: String? = TestCluster.available()) throws {
            let kea = KeaUnderTest.host
            guard let host, Prerequisites.usable(kea),
                  let program = kea.program("kea-dhcp4").map(URL.init(fileURLWithPath:)) else { return nil }
            folder = try TemporaryFolder()
            database = try TestCluster(host: host, shape: .netbox4x, data: "demo-data.sql")
            let portable = try LiveInstallTests().portable(4, in: folder)
            template = portable.template.path
            socket = portable.socket
            output = folder.url.appendingPathComponent("kea-dhcp4.conf").path
            self.program = program
            environment = kea.environment(folder: folder.url.path)
        }

        /// The installed file the server is started from.
        func installFirst() throws {
            let first = try CommandRunner.keaNetbox(["install", template, "--database", database.conninfo,
                                                     "--output", output, "--reload", "none"], environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
        }

        func startKea() throws -> RunningKea {
            try RunningKea(program: program, config: output, folder: folder, socketPath: socket)
        }

        func watch(_ extra: [String] = [], environment more: [String: String] = [:]) throws -> WatchProcess {
            let watcher = try WatchProcess([template, "--output", output, "--database", database.conninfo,
                                            "--interval", "0.5", "--quiet-period", "1", "--max-delay", "20", "-v"]
                                           + extra, folder: folder, environment: environment.merging(more) { $1 })
            #expect(watcher.waitFor { watcher.count("install (start)") == 1 }, "\(watcher.lines)")
            return watcher
        }

        var stateText: String {
            (try? String(contentsOfFile: output + ".kea-netbox-state", encoding: .utf8)) ?? ""
        }
    }

    @Test func aNetBoxEditReachesTheRunningServer() throws {
        guard let setup = try Setup() else { return }
        try setup.installFirst()
        let kea = try setup.startKea()
        let watcher = try setup.watch()
        #expect(try kea.reservedHostnames(family: "4").contains("web1.ams1.example.net"))

        try setup.database.execute(Self.rename("192.0.2.10/24", to: "renamed.ams1.example.net"))
        let seen = try watcher.waitFor(seconds: 30) { try kea.reservedHostnames(family: "4").contains("renamed.ams1.example.net") }
        #expect(seen, "\(watcher.lines)")
        #expect(watcher.count("watch: NetBox changed") >= 1)
        // The server has the file before the watcher logs the install that reloaded it.
        #expect(watcher.waitFor(seconds: 30) { watcher.count("installed \(setup.output)") == 1 }, "\(watcher.lines)")
        #expect(watcher.stop() == 0)
        #expect(watcher.lines.last?.contains("SIGTERM received, stopped") == true, "\(watcher.lines)")
    }

    @Test func aBurstOfAHundredEditsGivesOneInstall() throws {
        guard let setup = try Setup() else { return }
        try setup.installFirst()
        let kea = try setup.startKea()
        let watcher = try setup.watch()
        let burst = (1...100).map { Self.rename("192.0.2.10/24", to: "burst-\($0).example.net") }.joined(separator: "\n")
        try setup.database.execute(burst)
        let seen = try watcher.waitFor(seconds: 40) { try kea.reservedHostnames(family: "4").contains("burst-100.example.net") }
        #expect(seen, "\(watcher.lines)")
        // Well past the quiet period: still one install that changed the file, and one reload.
        Thread.sleep(forTimeInterval: 3)
        #expect(watcher.count("installed \(setup.output)") == 1, "\(watcher.lines)")
        #expect(watcher.count("reloaded via") == 1, "\(watcher.lines)")
    }

    @Test func aDeletedHostIsSeen() throws {
        guard let setup = try Setup() else { return }
        try setup.installFirst()
        let kea = try setup.startKea()
        let watcher = try setup.watch()
        #expect(try kea.reservedHostnames(family: "4").contains("nas1"))
        try setup.database.execute("""
            DO $$
            DECLARE ip bigint := (SELECT id FROM ipam_ipaddress WHERE address = '192.0.2.30/24');
            BEGIN
                UPDATE dcim_device SET primary_ip4_id = NULL WHERE primary_ip4_id = ip;
                PERFORM fx_log_change('dcim', 'device', (SELECT id FROM dcim_device WHERE name = 'nas1'), 'update');
                DELETE FROM ipam_ipaddress WHERE id = ip;
                PERFORM fx_log_change('ipam', 'ipaddress', ip, 'delete');
            END $$;
            """)
        let gone = try watcher.waitFor(seconds: 30) { try !kea.reservedHostnames(family: "4").contains("nas1") }
        #expect(gone, "\(watcher.lines)")
    }

    /// The idle watcher probes (one line each with -v) and does nothing else: no read, render or reload.
    @Test func nothingChangedMeansNoReadNoRenderNoReload() throws {
        guard let setup = try Setup() else { return }
        try setup.installFirst()
        _ = try setup.startKea()
        let watcher = try setup.watch()
        #expect(watcher.waitFor(seconds: 60) { watcher.count("probe: no change") >= 8 }, "\(watcher.lines)")
        #expect(watcher.count("install (") == 1, "only the start: \(watcher.lines)")
        #expect(watcher.count("NetBox changed") == 0, "\(watcher.lines)")

        // `install` from a timer, with the watcher's arguments: the probe ends it before the read.
        let timer = try CommandRunner.keaNetbox(["install", setup.template, "--database", setup.database.conninfo,
                                                 "--output", setup.output], environment: setup.environment)
        #expect(timer.status == 0, "\(timer.stderr)")
        #expect(timer.stdout.contains("not read, not rendered, not reloaded"), "\(timer.stdout)")
    }

    @Test func aTemplateEditIsSeen() throws {
        guard let setup = try Setup() else { return }
        try setup.installFirst()
        let kea = try setup.startKea()
        let watcher = try setup.watch()
        let text = try String(contentsOfFile: setup.template, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "{{ r.hostname }}", with: "{{ r.hostname | upper }}").utf8)
            .write(to: URL(fileURLWithPath: setup.template))
        let seen = try watcher.waitFor(seconds: 30) { try kea.reservedHostnames(family: "4").contains("WEB1.AMS1.EXAMPLE.NET") }
        #expect(seen, "\(watcher.lines)")
        #expect(watcher.count("template file changed") >= 1, "\(watcher.lines)")
    }

    @Test func recoversFromAPostgreSQLRestart() throws {
        guard TestCluster.available() != nil else { return }
        let cluster = try PrivateCluster()
        guard let setup = try Setup(host: cluster.folder) else { return }
        try setup.installFirst()
        let kea = try setup.startKea()
        let watcher = try setup.watch()

        // As a crash would: the sessions end and PostgreSQL's table counters start again from zero.
        try cluster.stop(mode: "immediate")
        #expect(watcher.waitFor(seconds: 30) { watcher.count("NetBox probe failed") >= 2 }, "\(watcher.lines)")
        try cluster.start()
        #expect(watcher.waitFor(seconds: 90) { watcher.count("NetBox reachable again") == 1 }, "\(watcher.lines)")
        #expect(watcher.process.isRunning)

        try setup.database.execute(Self.rename("192.0.2.10/24", to: "after-restart.ams1.example.net"))
        let seen = try watcher.waitFor(seconds: 30) { try kea.reservedHostnames(family: "4").contains("after-restart.ams1.example.net") }
        #expect(seen, "\(watcher.lines)")
    }

    @Test func aServerThatIsDownIsRetriedAndTheStateSaysSo() throws {
        guard let setup = try Setup() else { return }
        // No server yet: the watcher's first install writes the file but nobody loads it.
        let watcher = try setup.watch()
        #expect(setup.stateText.contains("\"status\" : \"pending\""), "\(setup.stateText)")
        #expect(watcher.waitFor(seconds: 30) { watcher.count("retrying in") >= 2 }, "\(watcher.lines)")
        #expect(watcher.process.isRunning)

        let kea = try setup.startKea()
        #expect(watcher.waitFor(seconds: 60) { setup.stateText.contains("\"status\" : \"settled\"") }, "\(watcher.lines)")
        try setup.database.execute(Self.rename("192.0.2.10/24", to: "later.ams1.example.net"))
        let seen = try watcher.waitFor(seconds: 30) { try kea.reservedHostnames(family: "4").contains("later.ams1.example.net") }
        #expect(seen, "\(watcher.lines)")
    }

    @Test func tellsSystemdItIsReadyAndAlive() throws {
        guard let setup = try Setup() else { return }
        try setup.installFirst()
        _ = try setup.startKea()
        let listener = try NotifySocket(path: setup.folder.url.appendingPathComponent("notify.sock").path)
        // A watchdog of 1 s: the watcher must say it lives every half second, also while idle.
        let watcher = try setup.watch(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "1000000"])
        defer { _ = watcher.stop() }
        let messages = try WatchCommandTests.collect(listener, seconds: 30) { all in
            all.contains { $0.hasPrefix("READY=1") } && all.filter { $0 == "WATCHDOG=1" }.count >= 3
        }
        #expect(messages.contains { $0.hasPrefix("READY=1") }, "\(messages)")
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 3, "\(messages)")
    }

    static func collect(_ socket: NotifySocket, seconds: Double, until done: ([String]) -> Bool) throws -> [String] {
        var all: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !done(all) {
            if let message = socket.receive() { all.append(message) } else { Thread.sleep(forTimeInterval: 0.05) }
        }
        return all
    }
}
