import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One command over Kea's unix control socket: connect, send the JSON command, read until Kea closes the
/// connection (it closes after each reply), within a time limit.
public struct ControlSocketClient: Sendable {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// Nobody listens: the socket file is missing or refuses connections (a stale file after a crash).
        case notRunning(String)
        case failed(String)

        public var description: String {
            switch self {
            case .notRunning(let message), .failed(let message): return message
            }
        }

        public var isNotRunning: Bool {
            if case .notRunning = self { return true }
            return false
        }
    }

    public let path: String
    public let timeout: Duration

    public init(path: String, timeout: Duration = .seconds(60)) {
        self.path = path
        self.timeout = timeout
    }

    /// Sends `{"command": command, "arguments": …}` (arguments as JSON text) and returns the raw reply.
    public func send(command: String, argumentsJSON: String? = nil) throws(Failure) -> String {
        var request = "{\"command\": " + JSONText.quoted(command)
        if let argumentsJSON { request += ", \"arguments\": " + argumentsJSON }
        request += "}"
        return try send(request)
    }

    /// Sends a raw JSON request and returns the raw reply.
    public func send(_ request: String) throws(Failure) -> String {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .failed("cannot create a unix socket: \(AtomicFile.errorText())") }
        defer { close(descriptor) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            throw .failed("control socket path \(path) is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected != 0 {
            let code = errno
            if code == ENOENT || code == ECONNREFUSED || code == ENOTDIR {
                throw .notRunning("no server at control socket \(path) (\(AtomicFile.errorText(code)))")
            }
            if code == EACCES {
                throw .failed("permission denied on control socket \(path): run as root or as the Kea user (_kea)")
            }
            throw .failed("cannot connect to control socket \(path): \(AtomicFile.errorText(code))")
        }
        let deadline = ContinuousClock.now + timeout
        try SocketIO.writeAll(Array(request.utf8), to: descriptor, deadline: deadline, peer: "control socket \(path)")
        let reply = try SocketIO.readToEnd(descriptor, deadline: deadline, peer: "control socket \(path)")
        return String(decoding: reply, as: UTF8.self)
    }
}

/// Blocking socket I/O bounded by a deadline (poll before each read and write).
enum SocketIO {
    static func wait(_ descriptor: Int32, for events: Int16, deadline: ContinuousClock.Instant, peer: String) throws(ControlSocketClient.Failure) {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw .failed("no answer from \(peer) in time") }
            let milliseconds = Int32(min(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let result = poll(&entry, 1, milliseconds)
            if result > 0 { return }
            if result < 0, errno != EINTR { throw .failed("poll on \(peer) failed: \(AtomicFile.errorText())") }
        }
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, deadline: ContinuousClock.Instant, peer: String) throws(ControlSocketClient.Failure) {
        var written = 0
        while written < bytes.count {
            try wait(descriptor, for: Int16(POLLOUT), deadline: deadline, peer: peer)
            let count = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress!.advanced(by: written), raw.count - written, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .failed("cannot send to \(peer): \(AtomicFile.errorText())")
            }
            written += count
        }
    }

    static func readToEnd(_ descriptor: Int32, deadline: ContinuousClock.Instant, peer: String) throws(ControlSocketClient.Failure) -> [UInt8] {
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            try wait(descriptor, for: Int16(POLLIN), deadline: deadline, peer: peer)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == ECONNRESET, !reply.isEmpty { return reply }
                throw .failed("cannot read from \(peer): \(AtomicFile.errorText())")
            }
            if count == 0 { return reply }
            reply.append(contentsOf: chunk[0..<count])
        }
    }
}
