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
    /// For the whole exchange: connecting, sending and reading the reply (a reload of 100,000 reservations takes
    /// Kea 2.2 about 2.3 s, so the default leaves a wide margin while still ending a hung server's run).
    public let timeout: Duration
    /// A longer reply is refused, not collected until memory runs out.
    public let maximumReply: Int

    public init(path: String, timeout: Duration = .seconds(60), maximumReply: Int = SocketIO.maximumReply) {
        self.path = path
        self.timeout = timeout
        self.maximumReply = maximumReply
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
        let deadline = SocketIO.Deadline(timeout)
        let peer = "control socket \(path)"
        try SocketIO.writeAll(Array(request.utf8), to: descriptor, deadline: deadline, peer: peer)
        let reply = try SocketIO.readToEnd(descriptor, deadline: deadline, peer: peer, limit: maximumReply)
        // Kea always answers before closing, even to a command it does not know.
        guard !reply.isEmpty else { throw .failed("\(peer) closed the connection without answering") }
        return String(decoding: reply, as: UTF8.self)
    }
}

/// Blocking socket I/O bounded by a deadline (poll before each read and write) and by a reply size.
public enum SocketIO {
    /// Kea's largest answer is `config-get` of the whole configuration, about 250 bytes per reservation: 64 MiB is
    /// some 250,000 reservations, more than any configuration Kea reloads in reasonable time.
    public static let maximumReply = 64 << 20

    /// When an exchange must be over, and the time limit it came from (for the message).
    struct Deadline {
        let instant: ContinuousClock.Instant
        let timeout: Duration

        init(_ timeout: Duration) {
            self.timeout = timeout
            instant = .now + timeout
        }
    }

    static func wait(_ descriptor: Int32, for events: Int16, deadline: Deadline, peer: String) throws(ControlSocketClient.Failure) {
        while true {
            let remaining = deadline.instant - ContinuousClock.now
            guard remaining > .zero else {
                throw .failed("\(peer) did not answer within \(deadline.timeout) (it accepted the connection but sent nothing more)")
            }
            let milliseconds = Int32(min(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let result = poll(&entry, 1, milliseconds)
            if result > 0 { return }
            if result < 0, errno != EINTR { throw .failed("poll on \(peer) failed: \(AtomicFile.errorText())") }
        }
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, deadline: Deadline, peer: String) throws(ControlSocketClient.Failure) {
        var written = 0
        while written < bytes.count {
            try wait(descriptor, for: Int16(POLLOUT), deadline: deadline, peer: peer)
            let count = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress!.advanced(by: written), raw.count - written, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == EPIPE || errno == ECONNRESET {
                    throw .failed("\(peer) closed the connection before taking the whole command")
                }
                throw .failed("cannot send to \(peer): \(AtomicFile.errorText())")
            }
            written += count
        }
    }

    /// Reads until the peer closes; more than `limit` bytes is an error.
    static func readToEnd(_ descriptor: Int32, deadline: Deadline, peer: String, limit: Int) throws(ControlSocketClient.Failure) -> [UInt8] {
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            try wait(descriptor, for: Int16(POLLIN), deadline: deadline, peer: peer)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == ECONNRESET {
                    if !reply.isEmpty { return reply }
                    throw .failed("\(peer) reset the connection without answering")
                }
                throw .failed("cannot read from \(peer): \(AtomicFile.errorText())")
            }
            if count == 0 { return reply }
            try checkSize(reply.count + count, limit: limit, peer: peer)
            reply.append(contentsOf: chunk[0..<count])
        }
    }

    static func checkSize(_ size: Int, limit: Int, peer: String) throws(ControlSocketClient.Failure) {
        if size > limit {
            throw .failed("\(peer) sent a reply larger than \(limit) bytes; stopped reading (not a Kea server?)")
        }
    }
}
