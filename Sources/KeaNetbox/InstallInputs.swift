import Foundation
import Kea
import NetBox

/// What an installed file was made from: the template and its includes (digests), the arguments that shape the
/// output, and NetBox (its change mark, or the snapshot file's digest). Kept in the install state as JSON; a run
/// whose inputs equal those of a file the server was seen to load has nothing to do (DESIGN §6, before step 2).
struct InstallInputs: Codable, Equatable, Sendable {
    /// Path → `InstallState.digest` of the file's bytes; "missing" for a file that is gone.
    var files: [String: String]
    var arguments: [String]
    /// nil for a snapshot source (its file is among `files`).
    var netbox: ChangeMark?

    static let missing = "missing"

    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    init(files: [String: String], arguments: [String], netbox: ChangeMark?) {
        self.files = files
        self.arguments = arguments
        self.netbox = netbox
    }

    /// nil for a state written by an older version or without inputs: then there is no way to skip.
    init?(text: String?) {
        guard let text, let decoded = try? JSONDecoder().decode(InstallInputs.self, from: Data(text.utf8)) else {
            return nil
        }
        self = decoded
    }

    /// The digests of the same files as they are now.
    static func digests(of paths: some Sequence<String>) -> [String: String] {
        var digests: [String: String] = [:]
        for path in paths {
            digests[path] = InstallState.digest(ofFileAt: path) ?? missing
        }
        return digests
    }
}
