import Foundation

/// What the last install left beside the output (`<output>.kea-netbox-state`), so that the next run knows whether the
/// running server was ever seen to load the installed file. Written atomically (rename) before the new file is
/// renamed into place, and again once the reload's answer is in: a run that dies in between (SIGKILL, power loss, a
/// server that was down) leaves `pending`, and the next run settles it before anything else (`InstallRecovery`).
///
/// One small value on purpose: the signal handling and a later change probe (`watch`) read and extend the same file.
public struct InstallState: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Installed, and the server has not (yet) been seen to load it.
        case pending
        /// Loaded by the server, or nothing to confirm (`--reload none`, a signal, which has no answer).
        case settled
    }

    public static let format = "kea-netbox-state/1"

    public var format: String = Self.format
    public var status: Status
    /// FNV-1a of the installed file's bytes, to tell the installed file from one changed since by hand.
    public var digest: String
    /// Where the file it replaced was saved, so the next run can restore it; nil when there was none.
    public var backup: String?
    /// Whether a file existed before (when not, restoring means removing the new one, as a rollback does).
    public var replacedAFile: Bool
    /// The server's `config-hash-get` before the new file was installed (Kea ≥ 2.4): a different hash later means
    /// the server loaded a configuration since, which can only be the installed one.
    public var serverHashBefore: String?
    /// When the file was installed (ISO 8601), for the messages.
    public var installedAt: String
    /// What the installed file was made from (template files, arguments, NetBox's change mark), opaque to this
    /// module: the pipeline compares it with the inputs of the next run and skips the read, render and reload when
    /// they are the same and the server was seen to load the file.
    public var inputs: String?
    /// The installed file's reservations and subnets, for the report of a run the change probe ends early.
    public var reservations: Int?
    public var subnets: Int?
    /// The installed file's stamp, recorded once its bytes were seen to match `digest` and it had settled: while the
    /// file keeps this stamp it still holds those bytes (see `FileStamp`), and a run with nothing to do need not read it.
    public var stamp: FileStamp?

    public init(status: Status, bytes: [UInt8], backup: String?, replacedAFile: Bool, serverHashBefore: String?,
                installedAt: Date = Date(), inputs: String? = nil) {
        self.status = status
        self.digest = Self.digest(of: bytes)
        self.backup = backup
        self.replacedAFile = replacedAFile
        self.serverHashBefore = serverHashBefore
        self.installedAt = ISO8601DateFormatter().string(from: installedAt)
        self.inputs = inputs
    }

    /// `kea-dhcp4.conf.kea-netbox-state` beside the output (and its lock, `kea-dhcp4.conf.lock`).
    public static func path(for output: String) -> String {
        output + ".kea-netbox-state"
    }

    /// FNV-1a, 64 bits: identifies a file's content for this purpose (not a security check: the folder is trusted).
    public static func digest(of bytes: [UInt8]) -> String {
        "fnv1a64:" + String(FNV1a.hash(bytes), radix: 16) + ":\(bytes.count)"
    }

    /// `digest(of:)` of a file's bytes, read a MiB at a time: a snapshot file of a million reservations is 800 MB,
    /// which a whole read would hold (twice, as Data and as an array) before the data is even loaded. nil when
    /// the file cannot be read.
    public static func digest(ofFileAt path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hash = FNV1a()
        var count = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { hash.add($0) }
                count += chunk.count
            }
        } catch {
            return nil
        }
        return "fnv1a64:" + String(hash.value, radix: 16) + ":\(count)"
    }

    public func describes(_ bytes: [UInt8]) -> Bool { digest == Self.digest(of: bytes) }

    /// Whether the file at `path` still holds the installed bytes: by its stamp when that is the recorded one, else by
    /// reading and hashing it. `restamped` is this state with the file's settled stamp when the bytes had to be read
    /// and matched (written back, the next run compares stamps only).
    public func stillDescribes(_ path: String) -> (matches: Bool, restamped: InstallState?) {
        if let stamp, FileStamp.current(path) == stamp { return (true, nil) }
        let settled = FileStamp.settled(path)
        guard let bytes = try? AtomicFile.read(path), describes(bytes) else { return (false, nil) }
        guard let settled, settled != stamp else { return (true, nil) }
        var restamped = self
        restamped.stamp = settled
        return (true, restamped)
    }

    /// The state of `output`, nil when there is none. An unreadable or foreign state file is an error: silently
    /// ignoring it could skip the reload it asks for.
    public static func read(for output: String) throws(InstallError) -> InstallState? {
        let path = path(for: output)
        guard let bytes = try AtomicFile.read(path) else { return nil }
        do {
            let state = try JSONDecoder().decode(InstallState.self, from: Data(bytes))
            guard state.format == Self.format else {
                throw InstallError.io("\(path) has format \"\(state.format)\", not \(Self.format): written by another kea-netbox version? Remove it after checking that the server runs \(output)")
            }
            return state
        } catch let error as InstallError {
            throw error
        } catch {
            throw .io("cannot read the install state \(path): \(error.localizedDescription); remove it after checking that the server runs \(output)")
        }
    }

    public func write(for output: String) throws(InstallError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw .io("cannot encode the install state: \(error)")
        }
        try AtomicFile.replace(Self.path(for: output), with: Array(data) + [10],
                               ownership: .init(owner: nil, group: nil, mode: 0o600))
    }
}
