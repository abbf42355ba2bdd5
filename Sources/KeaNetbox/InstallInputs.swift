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
    /// Path → the file's stamp when its digest was taken (settled files only, see `FileStamp`): a file that still has
    /// it is not read again to be hashed. nil in states written before stamps.
    var stamps: [String: FileStamp]?

    static let missing = "missing"

    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    init(files: Files, arguments: [String], netbox: ChangeMark?) {
        self.files = files.digests
        self.stamps = files.stamps.isEmpty ? nil : files.stamps
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

    /// Digests of files and the stamps they had when read.
    struct Files: Equatable, Sendable {
        var digests: [String: String] = [:]
        var stamps: [String: FileStamp] = [:]

        mutating func merge(_ other: Files) {
            digests.merge(other.digests) { $1 }
            stamps.merge(other.stamps) { $1 }
            for path in other.digests.keys where other.stamps[path] == nil { stamps[path] = nil }
        }
    }

    /// The digests of `paths` as the files are now; a file whose stamp is the one in `known` keeps the digest known
    /// for it without being read (a 40 MB snapshot costs more to hash than the whole unchanged run).
    static func files(_ paths: some Sequence<String>, known: Files = Files()) -> Files {
        var files = Files()
        for path in paths {
            if let stamp = FileStamp.current(path), known.stamps[path] == stamp, let digest = known.digests[path] {
                files.digests[path] = digest
                files.stamps[path] = stamp
                continue
            }
            // Stamped before the read: a write during the read leaves a stamp the next run does not trust.
            let settled = FileStamp.settled(path)
            if let digest = InstallState.digest(ofFileAt: path) {
                files.digests[path] = digest
                files.stamps[path] = settled
            } else {
                files.digests[path] = missing
            }
        }
        return files
    }

    /// The recorded files with their stamps, to compare the files as they are now with.
    var recorded: Files { Files(digests: files, stamps: stamps ?? [:]) }
}
