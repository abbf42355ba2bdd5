import Foundation

/// Tells a running Kea server to read its configuration file again (DESIGN §6 step 10).
public protocol Reloader: Sendable {
    /// `.notRunning` when no server is there to reload (not an error: the next start reads the new file);
    /// throws when a running server refused or could not be asked.
    func reload() throws(ReloadError) -> ReloadOutcome
    /// How the summary line names the method: "control socket /run/kea/kea4-ctrl-socket".
    var methodDescription: String { get }
    /// Asked before anything is installed: throws when the reload is bound to go wrong (the peer is a different
    /// daemon than the configuration's). A server that is not running passes: the reload will say so.
    func preflight() throws(ReloadError)
    /// The running server's `config-hash-get` (Kea ≥ 2.4), when this method can ask; nil otherwise.
    func configHash() -> String?
}

extension Reloader {
    public func preflight() throws(ReloadError) {}
    public func configHash() -> String? { nil }
}

public enum ReloadOutcome: Sendable, Equatable {
    /// The server accepted the new configuration (`detail` is its reply text, if any).
    case reloaded(detail: String)
    /// No server is running there; the reason says how that was seen.
    case notRunning(reason: String)
    /// `--reload none`.
    case skipped
}

public struct ReloadError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// Kea said it is busy (a lease file cleanup runs): the same command a moment later may succeed.
    public let busy: Bool
    /// Nobody listens there (connection refused, no socket file): not a refusal of the configuration.
    public let notRunning: Bool
    public init(_ message: String, busy: Bool = false, notRunning: Bool = false) {
        self.message = message
        self.busy = busy
        self.notRunning = notRunning
    }
    public var description: String { message }
}

/// The `--reload` argument, parsed; the installer builds the `Reloader` once it knows the configuration
/// (the default needs its control socket and family).
public enum ReloadSpec: Sendable, Equatable {
    /// The unix control socket named in the configuration (the default), or this path.
    case controlSocket(path: String?)
    /// SIGHUP to the pid in this file (Kea writes `<KEA_PIDFILE_DIR>/<config name>.kea-dhcp4.pid`).
    case signal(pidFile: String)
    /// A shell command; exit status 0 means reloaded.
    case command(String)
    /// kea-ctrl-agent at this `http://host:port[/path]`.
    case http(url: String)
    case none

    /// Parses `--reload SPEC`: `socket` (default) or `socket:PATH`, `signal:PIDFILE`, `command:CMD`,
    /// `http://HOST:PORT`, `none`.
    public init(argument: String) throws(ReloadError) {
        let text = argument.trimmingBlanks()
        func rest(after prefix: String) -> String { String(text.dropFirst(prefix.count)).trimmingBlanks() }
        if text == "none" {
            self = .none
        } else if text == "socket" || text == "control-socket" || text.isEmpty {
            self = .controlSocket(path: nil)
        } else if text.hasPrefix("socket:") {
            let path = rest(after: "socket:")
            guard !path.isEmpty else { throw ReloadError("--reload socket:PATH needs a path") }
            self = .controlSocket(path: path)
        } else if text.hasPrefix("signal:") {
            let path = rest(after: "signal:")
            guard !path.isEmpty else { throw ReloadError("--reload signal:PIDFILE needs the server's pid file") }
            self = .signal(pidFile: path)
        } else if text.hasPrefix("command:") {
            let command = rest(after: "command:")
            guard !command.isEmpty else { throw ReloadError("--reload command:CMD needs a command") }
            self = .command(command)
        } else if text.hasPrefix("http://") {
            _ = try HTTPReloader.Endpoint(url: text)
            self = .http(url: text)
        } else if text.hasPrefix("https://") {
            throw ReloadError("--reload https:// is not supported: point it at kea-ctrl-agent on a local http:// address, or use command:'curl …'")
        } else {
            throw ReloadError("unknown --reload \"\(argument)\": expected socket, socket:PATH, signal:PIDFILE, command:CMD, http://HOST:PORT or none")
        }
    }

    /// The reloader for a configuration of `family` whose control socket (from the configuration) is `socketPath`.
    public func makeReloader(socketPath: String?, family: KeaFamily?, timeout: Duration = .seconds(60)) throws(ReloadError) -> any Reloader {
        switch self {
        case .controlSocket(let path):
            guard let path = path ?? socketPath else {
                throw ReloadError("the configuration has no unix \"control-socket\" to reload through: add one, or choose --reload signal:PIDFILE, command:CMD, http://… or none")
            }
            return ControlSocketReloader(path: path, timeout: timeout)
        case .signal(let pidFile):
            return SignalReloader(pidFile: pidFile)
        case .command(let command):
            return CommandReloader(command: command, timeout: timeout)
        case .http(let url):
            guard let family else { throw ReloadError("cannot name the kea-ctrl-agent service: no \"Dhcp4\" or \"Dhcp6\" key") }
            return try HTTPReloader(url: url, service: family.serviceName, timeout: timeout)
        case .none:
            return NoReloader()
        }
    }
}

/// `--reload none`: install only.
public struct NoReloader: Reloader {
    public init() {}
    public func reload() throws(ReloadError) -> ReloadOutcome { .skipped }
    public var methodDescription: String { "no reload" }
}

/// Kea's answer to a command: `{"result": 0, "text": …}`, or a list of such (kea-ctrl-agent, or several
/// services). Every element must have result 0.
enum KeaReply {
    /// Sends a command through `send` and checks the reply; Kea's "lease file cleanup is running" refusal
    /// (3.1.2+) is sent once more after `pause`, since the cleanup of a memfile usually takes well under a second.
    static func sendRetryingOnce(pause: Duration = .seconds(2), _ send: () throws(ReloadError) -> String,
                                 source: String) throws(ReloadError) -> String {
        do {
            return try check(try send(), source: source)
        } catch where error.busy {
            usleep(UInt32(pause.components.seconds * 1_000_000 + pause.components.attoseconds / 1_000_000_000_000))
            return try check(try send(), source: source)
        }
    }

    /// The answers in a reply: the object itself, or each element of a list.
    static func answers(_ reply: String, source: String) throws(ReloadError) -> [ConfigValue] {
        let document: ConfigDocument
        do {
            document = try ConfigDocument.parse("{\"reply\": " + reply + "}", file: source, includes: .reject, topLevel: .anyObject)
        } catch {
            throw ReloadError("\(source) sent an unreadable reply: \(reply.prefix(300))")
        }
        guard let value = document.root["reply"] else { throw ReloadError("\(source) sent an empty reply") }
        let answers = value.arrayValue ?? [value]
        guard !answers.isEmpty else { throw ReloadError("\(source) sent an empty list as reply") }
        return answers
    }

    /// `arguments.hash` of a successful `config-hash-get` reply.
    static func hash(_ reply: String, source: String) -> String? {
        guard let answer = try? answers(reply, source: source).first, answer["result"]?.integerValue == 0 else { return nil }
        return answer["arguments"]?["hash"]?.stringValue
    }

    static func check(_ reply: String, source: String) throws(ReloadError) -> String {
        let answers = try answers(reply, source: source)
        var texts: [String] = []
        for answer in answers {
            let text = answer["text"]?.stringValue ?? ""
            guard let result = answer["result"]?.integerValue else {
                throw ReloadError("\(source) sent a reply without \"result\": \(reply.prefix(300))")
            }
            guard result == 0 else {
                throw ReloadError("\(source) answered result \(result) (\(KeaResult.meaning(result))): \(text)",
                                  busy: KeaResult.isBusy(result: result, text: text))
            }
            if !text.isEmpty { texts.append(text) }
        }
        return texts.joined(separator: "; ")
    }
}
