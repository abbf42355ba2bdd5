import Foundation
import Testing
@testable import Kea

/// A real unix socket server in the test process that misbehaves the way a hung, crashed or hostile peer does:
/// the client must end each exchange with a message saying what happened, within its time limit and its reply limit.
@Suite struct ControlSocketLimitTests {
    /// What the server does with the one connection it accepts.
    enum Behaviour: Sendable {
        /// Sends bytes until the client goes away.
        case flood
        /// Reads the command, then closes without a word.
        case closeAfterReading
        /// Closes with the command still unread, which makes the kernel reset the client's end.
        case closeUnread
        /// Reads the command and then waits for the client to give up.
        case hang
    }

    /// Listens on `path` and serves each connection in turn on a thread, until it goes away.
    final class MisbehavingServer: Sendable {
        let path: String
        private let listener: Int32

        init(path: String, behaviour: Behaviour) throws {
            self.path = path
            let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            self.listener = listener
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard listener >= 0, bound == 0, listen(listener, 1) == 0 else {
                throw KeaServer.ServerError(message: "cannot listen on \(path): \(String(cString: strerror(errno)))")
            }
            Thread.detachNewThread {
                // Every connection alike, until deinit shuts the listener down; the thread closes it, so its
                // number cannot be reused by another test while this loop still uses it.
                while true {
                    let connection = accept(listener, nil, nil)
                    guard connection >= 0 else {
                        close(listener)
                        return
                    }
                    Self.serve(connection, behaviour)
                    close(connection)
                }
            }
        }

        deinit {
            shutdown(listener, Int32(SHUT_RDWR))
            unlink(path)
        }

        private static func waitFor(_ events: Int16, on descriptor: Int32) -> Int16 {
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            _ = poll(&entry, 1, 30_000)
            return entry.revents
        }

        private static func serve(_ connection: Int32, _ behaviour: Behaviour) {
            var buffer = [UInt8](repeating: 0x20, count: 1 << 20)
            switch behaviour {
            case .flood:
                buffer[0] = UInt8(ascii: "{")
                while buffer.withUnsafeBytes({ send(connection, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }) > 0 {}
            case .closeAfterReading:
                _ = waitFor(Int16(POLLIN), on: connection)
                _ = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress!, $0.count, 0) }
            case .closeUnread:
                _ = waitFor(Int16(POLLIN), on: connection)
            case .hang:
                _ = waitFor(Int16(POLLIN), on: connection)
                _ = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress!, $0.count, 0) }
                // Until the client hangs up (POLLIN with nothing to read, or POLLHUP).
                _ = waitFor(Int16(POLLIN), on: connection)
            }
        }
    }

    func failure(_ behaviour: Behaviour, timeout: Duration = .seconds(30)) throws -> String {
        let folder = try TestFolder()
        let server = try MisbehavingServer(path: folder.file("kea4.sock"), behaviour: behaviour)
        let client = ControlSocketClient(path: server.path, timeout: timeout)
        do {
            let reply = try client.send(command: "config-reload")
            return "unexpected reply of \(reply.utf8.count) bytes"
        } catch {
            return error.description
        }
    }

    @Test func aFloodingPeerIsCutOffAtTheReplyLimit() throws {
        let path = try failure(.flood)
        #expect(path.hasSuffix("kea4.sock sent a reply larger than 67108864 bytes; stopped reading (not a Kea server?)"), "\(path)")
        #expect(SocketIO.maximumReply == 64 << 20)
    }

    @Test func aPeerThatClosesWithoutAnsweringSaysSo() throws {
        let message = try failure(.closeAfterReading)
        #expect(message.hasSuffix("kea4.sock closed the connection without answering"), "\(message)")
    }

    @Test func aPeerThatResetsTheConnectionSaysSo() throws {
        let message = try failure(.closeUnread)
        #expect(message.hasSuffix("kea4.sock reset the connection without answering"), "\(message)")
    }

    @Test func aPeerThatHangsEndsAtTheTimeLimit() throws {
        let message = try failure(.hang, timeout: .seconds(1))
        #expect(message.hasSuffix("kea4.sock did not answer within 1.0 seconds (it accepted the connection but sent nothing more)"), "\(message)")
    }

    /// Through the reloader the operator gets: a failed reload, never "reloaded".
    @Test func theReloaderReportsAPeerThatClosesAsAFailedReload() throws {
        let folder = try TestFolder()
        let server = try MisbehavingServer(path: folder.file("kea4.sock"), behaviour: .closeAfterReading)
        #expect {
            try ControlSocketReloader(path: server.path).reload()
        } throws: { error in
            (error as? ReloadError)?.message.hasSuffix("closed the connection without answering") == true
        }
    }

    /// The whole install: the new file is in place when the reload meets a peer that closes without answering,
    /// so the previous file must come back and the run must end as a failed reload (exit 5), not as installed.
    @Test(arguments: [Behaviour.closeAfterReading, .hang, .flood])
    func anInstallWhoseReloadMeetsABrokenPeerRestoresThePreviousFile(behaviour: Behaviour) throws {
        let folder = try TestFolder()
        let server = try MisbehavingServer(path: folder.file("kea4.sock"), behaviour: behaviour)
        let output = folder.file("kea-dhcp4.conf")
        let previous = keaConfig(.v4, folder: folder, hosts: hosts(1...2))
        try previous.write(toFile: output, atomically: false, encoding: .utf8)
        var options = Installer.Options(output: output)
        options.check = .none
        options.reload = .controlSocket(path: server.path)
        options.reloadTimeout = .seconds(1)

        let error = installError { try Installer(options: options).install(keaConfig(.v4, folder: folder, hosts: hosts(1...3))) }

        #expect(error?.exitCode == 5)
        #expect(error?.description.contains("the previous configuration was restored") == true, "\(String(describing: error))")
        #expect(fileText(output) == previous)
    }
}
