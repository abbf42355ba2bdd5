/// Why a snapshot file cannot be used, with the place in it: `reservations[3]: missing key "mac"`.
public struct SnapshotError: Error, Sendable, CustomStringConvertible, Equatable {
    /// JSON path of the offending entry or key (`prefixes[0].prefix`); empty for the document itself.
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
