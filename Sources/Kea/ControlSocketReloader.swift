/// The default reload: `{"command": "config-reload"}` on the unix control socket; the reply's `result`
/// must be 0. Kea re-reads the file it was started with (`-c`), which is the file just installed.
public struct ControlSocketReloader: Reloader {
    public let path: String
    public let timeout: Duration

    public init(path: String, timeout: Duration = .seconds(60)) {
        self.path = path
        self.timeout = timeout
    }

    public var methodDescription: String { "control socket \(path)" }

    public func configHash() -> String? {
        guard let reply = try? ControlSocketClient(path: path, timeout: timeout).send(command: "config-hash-get") else { return nil }
        return KeaReply.hash(reply, source: methodDescription)
    }

    public func reload() throws(ReloadError) -> ReloadOutcome {
        let source = "Kea (control socket \(path))"
        do throws(ReloadError) {
            return .reloaded(detail: try KeaReply.sendRetryingOnce({ () throws(ReloadError) -> String in
                do throws(ControlSocketClient.Failure) {
                    return try ControlSocketClient(path: path, timeout: timeout).send(command: "config-reload")
                } catch {
                    throw ReloadError(error.description, notRunning: error.isNotRunning)
                }
            }, source: source))
        } catch where error.notRunning {
            return .notRunning(reason: error.message)
        }
    }
}
