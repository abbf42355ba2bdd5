/// Why a snapshot file cannot be used, with the place in it: `reservations[3]: missing key "mac"`.
public struct SnapshotError: Error, Sendable, CustomStringConvertible, Equatable {
    /// JSON path of the offending entry or key (`prefixes[0].prefix`); empty for the document itself.
    public let path: String
    public let message: String
    /// Byte offset in the snapshot text of the offending place (the entry, or where the JSON broke), when known;
    /// the caller turns it into `file:line:column` with the file's line table.
    public let offset: Int?

    public init(path: String, message: String, offset: Int? = nil) {
        self.path = path
        self.message = message
        self.offset = offset
    }

    func at(_ offset: Int) -> SnapshotError {
        SnapshotError(path: path, message: message, offset: self.offset ?? offset)
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
