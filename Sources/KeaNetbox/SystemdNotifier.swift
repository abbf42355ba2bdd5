import Foundation
import Kea
#if canImport(Glibc)
import Glibc
#endif

/// systemd's notification protocol (`Type=notify`, `WatchdogSec=`): one datagram per message to the unix socket in
/// `$NOTIFY_SOCKET` (a path, or an abstract name written with a leading `@`). Without the variable (not run by
/// systemd) every message is dropped. No libsystemd: the protocol is one `sendto`.
public struct SystemdNotifier: Sendable {
    private let socketName: String?
    /// Half of `$WATCHDOG_USEC` (systemd's advice): how often to send `WATCHDOG=1`; nil without a watchdog.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketName = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0,
           environment["WATCHDOG_PID"].map({ $0 == String(getpid()) }) ?? true {
            watchdogInterval = .microseconds(microseconds / 2)
        } else {
            watchdogInterval = nil
        }
    }

    public var isActive: Bool { socketName != nil }

    /// How often a working watcher says it lives: half the watchdog's time-out; under systemd without a watchdog
    /// every minute, for the start-up time-out (see `heartbeat(starting:)`); nil when not run by systemd.
    public var heartbeatInterval: Duration? {
        watchdogInterval ?? (isActive ? .seconds(60) : nil)
    }

    /// What a long install beats with (`Heartbeat`): `WATCHDOG=1`; while `starting` (the first installs, before
    /// READY) also `EXTEND_TIMEOUT_USEC`, as a first install at 1,000,000 reservations outlasts `TimeoutStartSec=`
    /// (90 s by default). Each extension lasts two intervals (the watchdog's own time-out), so a start-up that stops
    /// making progress still fails.
    public func heartbeat(starting: Bool) -> Heartbeat? {
        guard let interval = heartbeatInterval else { return nil }
        let extend = (interval * 2).components
        let microseconds = extend.seconds * 1_000_000 + extend.attoseconds / 1_000_000_000_000
        let message = starting ? "WATCHDOG=1\nEXTEND_TIMEOUT_USEC=\(microseconds)" : "WATCHDOG=1"
        return Heartbeat(interval: interval) { [self] in send(message) }
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func alive() { send("WATCHDOG=1") }
    public func stopping() { send("STOPPING=1") }

    /// Best effort: a notification that cannot be sent must not stop the service (systemd then reports it).
    public func send(_ message: String) {
        guard let socketName else { return }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketName.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.enumerated() { buffer[index] = byte }
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
    }
}
