import Foundation
import KeaTestSupport
import Testing
@testable import Kea

@Suite struct ReloadSpecTests {
    @Test func parsesEveryForm() throws {
        #expect(try ReloadSpec(argument: "socket") == .controlSocket(path: nil))
        #expect(try ReloadSpec(argument: "socket:/run/kea/kea4-ctrl-socket") == .controlSocket(path: "/run/kea/kea4-ctrl-socket"))
        #expect(try ReloadSpec(argument: "signal:/run/kea/kea-dhcp4.kea-dhcp4.pid") == .signal(pidFile: "/run/kea/kea-dhcp4.kea-dhcp4.pid"))
        #expect(try ReloadSpec(argument: "command:systemctl kill -s HUP kea-dhcp4-server") == .command("systemctl kill -s HUP kea-dhcp4-server"))
        #expect(try ReloadSpec(argument: "http://127.0.0.1:8000") == .http(url: "http://127.0.0.1:8000"))
        #expect(try ReloadSpec(argument: "none") == .none)
    }

    @Test func rejectsUnknownAndIncompleteSpecs() {
        #expect(throws: ReloadError.self) { try ReloadSpec(argument: "sighup") }
        #expect(throws: ReloadError.self) { try ReloadSpec(argument: "signal:") }
        #expect(throws: ReloadError.self) { try ReloadSpec(argument: "https://agent:8000") }
        #expect(throws: ReloadError.self) { try ReloadSpec(argument: "http://user:secret@agent:8000") }
        #expect(throws: ReloadError.self) { try ReloadSpec(argument: "http://agent:notaport") }
    }

    @Test func defaultNeedsAControlSocketInTheConfig() {
        #expect(throws: ReloadError.self) { try ReloadSpec.controlSocket(path: nil).makeReloader(socketPath: nil, family: .v4) }
    }

    @Test func httpEndpointKeepsHostPortAndPath() throws {
        let endpoint = try HTTPReloader.Endpoint(url: "http://[::1]:8080/api")
        #expect((endpoint.host, endpoint.port, endpoint.path) == ("::1", 8080, "/api"))
        #expect(endpoint.hostHeader == "[::1]:8080")
    }

    @Test func checkCommandArgumentForms() {
        #expect(CheckCommand(argument: "none") == .none)
        #expect(CheckCommand(argument: "kea") == .kea)
        #expect(CheckCommand(argument: "kea-dhcp4 -t {}") == .custom("kea-dhcp4 -t {}"))
    }
}

@Suite struct KeaReplyTests {
    @Test func acceptsAnObjectOrAOneElementList() throws {
        #expect(try KeaReply.check(#"{"result": 0, "text": "Configuration successful."}"#, source: "t") == "Configuration successful.")
        #expect(try KeaReply.check(#"[{"result": 0, "text": "ok"}]"#, source: "t") == "ok")
    }

    @Test func nonZeroResultIsAFailureWithKeasText() {
        let error = #expect(throws: ReloadError.self) {
            try KeaReply.check(#"{"result": 1, "text": "Config reload failed: bad"}"#, source: "Kea")
        }
        #expect(error?.message == "Kea answered result 1 (error): Config reload failed: bad")
    }

    /// Kea 3.1.2+ refuses a reload while the memfile's lease file cleanup runs (result 1 with this text): sent once
    /// more, after a pause; any other failure is not retried.
    @Test func aReloadRefusedDuringLeaseFileCleanupIsSentOnceMore() throws {
        let busy = #"{"result": 1, "text": "Can not update configuration while lease file cleanup process is running."}"#
        var sent = 0
        let text = try KeaReply.sendRetryingOnce(pause: .zero, { () throws(ReloadError) -> String in
            sent += 1
            return sent == 1 ? busy : #"{"result": 0, "text": "Configuration successful."}"#
        }, source: "Kea")
        #expect((sent, text) == (2, "Configuration successful."))

        sent = 0
        let error = #expect(throws: ReloadError.self) {
            try KeaReply.sendRetryingOnce(pause: .zero, { () throws(ReloadError) -> String in
                sent += 1
                return #"{"result": 1, "text": "Config reload failed: bad"}"#
            }, source: "Kea")
        }
        #expect(sent == 1)
        #expect(error?.busy == false)
    }

    @Test func resultFiveSaysTheServerStateIsUndefined() {
        let error = #expect(throws: ReloadError.self) {
            try KeaReply.check(#"{"result": 5, "text": "Configuration partially applied; rollback failed"}"#, source: "Kea")
        }
        #expect(error?.message.contains("result 5 (configuration partially applied and the rollback failed: the server's state is undefined, restart it)") == true,
                "\(String(describing: error))")
    }

    @Test func garbageIsAFailure() {
        #expect(throws: ReloadError.self) { try KeaReply.check("<html>", source: "t") }
        #expect(throws: ReloadError.self) { try KeaReply.check("[]", source: "t") }
    }
}

/// Each reloader against a real server: after the install, `config-get` shows the new reservation.
@Suite(.enabled(if: KeaTestEnvironment.runKeaTests, "kea-dhcp4 not installed (set KEA_NETBOX_REQUIRE_ALL=1 to fail instead)"))
struct ReloaderIntegrationTests {
    func install(_ server: KeaServer, folder: TestFolder, reload: ReloadSpec) throws -> InstallReport {
        var options = server.kea.options(server.configPath, folder: folder)
        options.reload = reload
        return try Installer(options: options).install(keaConfig(.v4, folder: folder, hosts: hosts(1...2)))
    }

    /// Polls `config-get` (a signal reload is asynchronous).
    func waitForAddresses(_ server: KeaServer, _ expected: [String]) throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(10)
        var addresses = try server.reservedAddresses()
        while addresses != expected, ContinuousClock.now < deadline {
            usleep(20_000)
            addresses = try server.reservedAddresses()
        }
        return addresses
    }

    @Test(arguments: KeaUnderTest.all)
    func controlSocketReloaderReloads(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...1)), kea: kea)

        let outcome = try ControlSocketReloader(path: server.socketPath).reload()

        #expect(outcome == .reloaded(detail: "Configuration successful."))
        let report = try install(server, folder: folder, reload: .controlSocket(path: server.socketPath))
        #expect(report.reloadMethod == "control socket \(server.socketPath)")
        #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
    }

    @Test func controlSocketReloaderSeesAMissingServer() throws {
        let folder = try TestFolder()
        let outcome = try ControlSocketReloader(path: folder.file("absent.sock")).reload()
        guard case .notRunning(let reason) = outcome else { Issue.record("expected notRunning, got \(outcome)"); return }
        #expect(reason.contains("absent.sock"))
    }

    @Test(arguments: KeaUnderTest.all)
    func signalReloaderReloadsThroughKeasPidFile(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...1)), kea: kea)
        #expect(FileManager.default.fileExists(atPath: server.pidFile))

        let report = try install(server, folder: folder, reload: .signal(pidFile: server.pidFile))

        guard case .reloaded? = report.reloadOutcome else { Issue.record("expected reloaded, got \(String(describing: report.reloadOutcome))"); return }
        #expect(try waitForAddresses(server, ["192.0.2.11", "192.0.2.12"]) == ["192.0.2.11", "192.0.2.12"])
    }

    @Test func signalReloaderSeesADeadPid() throws {
        let folder = try TestFolder()
        let pidFile = folder.file("dead.pid")
        // A pid that cannot be running: above the kernel's pid_max default.
        try "4194304\n".write(toFile: pidFile, atomically: false, encoding: .utf8)
        guard case .notRunning = try SignalReloader(pidFile: pidFile).reload() else { Issue.record("expected notRunning"); return }
        guard case .notRunning = try SignalReloader(pidFile: folder.file("missing.pid")).reload() else { Issue.record("expected notRunning"); return }
    }

    @Test(arguments: KeaUnderTest.all)
    func commandReloaderReloads(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...1)), kea: kea)

        let report = try install(server, folder: folder, reload: .command("kill -HUP $(cat '\(server.pidFile)')"))

        guard case .reloaded? = report.reloadOutcome else { Issue.record("expected reloaded"); return }
        #expect(try waitForAddresses(server, ["192.0.2.11", "192.0.2.12"]) == ["192.0.2.11", "192.0.2.12"])
    }

    @Test func commandReloaderFailureRestoresThePreviousFile() throws {
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...1))
        let server = try KeaServer(.v4, folder: folder, config: original)

        let error = installError { try install(server, folder: folder, reload: .command("echo refused >&2; exit 2")) }

        #expect(error?.exitCode == 5)
        #expect(error?.description.contains("exited with status 2: refused") == true)
        #expect(fileText(server.configPath) == original)
    }

    @Test(.enabled(if: KeaTestEnvironment.runAgentTests, "kea-ctrl-agent not installed"), arguments: KeaUnderTest.all)
    func httpReloaderReloadsThroughKeaCtrlAgent(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...1)), kea: kea)
        let agent = try ControlAgent(folder: folder, server: server)

        let report = try install(server, folder: folder, reload: try ReloadSpec(argument: agent.url))

        #expect(report.reloadOutcome == .reloaded(detail: "Configuration successful."))
        #expect(report.reloadMethod == "HTTP \(agent.url) (dhcp4)")
        #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
    }

    @Test(.enabled(if: KeaTestEnvironment.runAgentTests, "kea-ctrl-agent not installed"), arguments: KeaUnderTest.all)
    func httpReloaderSeesAnAgentWithoutItsServer(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let server = try KeaServer(.v4, folder: folder, config: keaConfig(.v4, folder: folder, hosts: hosts(1...1)), kea: kea)
        let agent = try ControlAgent(folder: folder, server: server)
        // Stop the server: the agent stays, its socket is gone.
        kill(server.pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while server.answers(), ContinuousClock.now < deadline { usleep(10_000) }

        let outcome = try HTTPReloader(url: agent.url, service: "dhcp4").reload()

        guard case .notRunning(let reason) = outcome else { Issue.record("expected notRunning, got \(outcome)"); return }
        #expect(reason.contains("offline"))
    }

    /// Kea 3's list form: the default reloader takes its first unix entry. Kea 2.x knows only the singular, and its
    /// `-t` refuses the list, so the install stops there (exit 4) and the server keeps its configuration.
    @Test(arguments: KeaUnderTest.all)
    func controlSocketsListIsReloadedThroughItsUnixEntry(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let version = try #require(kea.keaVersion)
        let folder = try TestFolder()
        let original = keaConfig(.v4, folder: folder, hosts: hosts(1...1))
        let server = try KeaServer(.v4, folder: folder, config: original, kea: kea)
        let port = try freePort()
        let plural = keaConfig(.v4, folder: folder, hosts: hosts(1...2)).replacingOccurrences(
            of: #""control-socket": {"socket-type": "unix", "socket-name": "\#(server.socketPath)"},"#,
            with: #""control-sockets": [{"socket-type": "http", "socket-address": "127.0.0.1", "socket-port": \#(port)}, {"socket-type": "unix", "socket-name": "\#(server.socketPath)"}],"#)
        #expect(plural.contains("control-sockets"))

        if version.hasControlSocketList {
            let report = try install(server, folder: folder, reload: .controlSocket(path: nil))
            _ = report
            let second = try Installer(options: kea.options(server.configPath, folder: folder)).install(plural)
            #expect(second.reloadMethod == "control socket \(server.socketPath)")
            #expect(second.reloadOutcome == .reloaded(detail: "Configuration successful."))
            #expect(try server.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])
        } else {
            let error = installError { try Installer(options: kea.options(server.configPath, folder: folder)).install(plural) }
            #expect(error?.exitCode == 4)
            #expect(error?.description.contains("control-sockets") == true, "\(String(describing: error))")
            #expect(fileText(server.configPath) == original)
        }
    }

    /// Kea 3's own HTTP control socket executes whatever it is sent, whatever the `"service"`: kea-netbox asks which
    /// daemon listens before installing, reloads the right one, and refuses (before anything changes) to "reload"
    /// a DHCPv6 configuration through a DHCPv4 server's socket.
    @Test(arguments: [KeaUnderTest.chroot("sid")])
    func kea3sOwnHTTPSocketReloadsOnlyItsOwnDaemon(kea: KeaUnderTest) throws {
        guard kea.usable() else { return }
        let folder = try TestFolder()
        let port = try freePort()
        func withHTTP(_ config: String, family: KeaFamily) -> String {
            let socket = folder.file(family == .v4 ? "kea4.sock" : "kea6.sock")
            return config.replacingOccurrences(
                of: #""control-socket": {"socket-type": "unix", "socket-name": "\#(socket)"},"#,
                with: #""control-sockets": [{"socket-type": "unix", "socket-name": "\#(socket)"}, {"socket-type": "http", "socket-address": "127.0.0.1", "socket-port": \#(port)}],"#)
        }
        let v4 = try KeaServer(.v4, folder: folder, config: withHTTP(keaConfig(.v4, folder: folder, hosts: hosts(1...1)), family: .v4), kea: kea)
        let url = "http://127.0.0.1:\(port)/"

        var options = kea.options(v4.configPath, folder: folder)
        options.reload = try ReloadSpec(argument: url)
        let first = try Installer(options: options).install(withHTTP(keaConfig(.v4, folder: folder, hosts: hosts(1...2)), family: .v4))
        #expect(first.reloadOutcome == .reloaded(detail: "Configuration successful."))
        #expect(first.reloadMethod == "HTTP \(url) (dhcp4)")
        #expect(try v4.reservedAddresses() == ["192.0.2.11", "192.0.2.12"])

        let v6Output = folder.file("kea-dhcp6.conf")
        var v6Options = kea.options(v6Output, folder: folder)
        v6Options.reload = try ReloadSpec(argument: url)
        let v6Text = keaConfig(.v6, folder: folder, hosts: hosts(1...1, family: .v6))
        let error = installError { try Installer(options: v6Options).install(v6Text) }
        #expect(error?.exitCode == 1)
        #expect(error?.description.contains("is not the dhcp6 server this configuration is for") == true, "\(String(describing: error))")
        #expect(fileText(v6Output) == nil, "nothing installed")
    }

    @Test func httpReloaderSeesNoAgent() throws {
        let port = try freePort()
        let outcome = try HTTPReloader(url: "http://127.0.0.1:\(port)", service: "dhcp4").reload()
        guard case .notRunning = outcome else { Issue.record("expected notRunning, got \(outcome)"); return }
    }
}

@Suite(.enabled(if: KeaTestEnvironment.runKeaTests, "kea-dhcp4 not installed (set KEA_NETBOX_REQUIRE_ALL=1 to fail instead)"))
struct CheckCommandTests {
    @Test func keaCheckOfTextNamesTheDisplayNameAndCleansUp() throws {
        let folder = try TestFolder()
        let text = #"{"Dhcp4": {"interfaces-config": {"interfaces": []}, "valid-lifetime": "soon"}}"#

        let verdict = try CheckCommand.kea.run(text: text, family: .v4, displayName: "site.conf", in: folder.path)

        #expect(!verdict.accepted)
        #expect(verdict.message.contains("site.conf"))
        #expect(folder.names() == [])
    }

    @Test func keaCheckAcceptsAValidConfig() throws {
        let folder = try TestFolder()
        let verdict = try CheckCommand.kea.run(text: keaConfig(.v6, folder: folder, hosts: hosts(1...2, family: .v6)),
                                               family: .v6, displayName: "v6.conf", in: folder.path)
        #expect(verdict.accepted)
    }

    @Test func keaCheckNeedsAFamily() {
        #expect(throws: CheckCommand.Unavailable.self) { try CheckCommand.kea.run(on: "/dev/null", family: nil) }
    }
}
