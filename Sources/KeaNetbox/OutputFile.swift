import Foundation
import Kea
import NetBox

/// Where `render` and `snapshot` put their text: standard output, or a file replaced atomically.
public enum OutputFile {
    public static func write(_ text: String, to path: String?) throws(PipelineError) {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// The snapshot's text a piece at a time (`Snapshot.encode(inPieces:)`): a snapshot of a million reservations
    /// is 800 MB that would otherwise be held whole, beside the snapshot itself.
    public static func write(_ snapshot: Snapshot, to path: String?) throws(PipelineError) {
        guard let path, path != "-" else {
            snapshot.encode { FileHandle.standardOutput.write(Data($0)) }
            return
        }
        do {
            try FileReplacement.write(to: path) { (write) throws(InstallError) in try snapshot.encode(inPieces: write) }
        } catch {
            throw .failure("\(path): \(error)")
        }
    }

    /// The size of the regular file at `path`, 0 for standard output or when there is none: what the text
    /// that replaces it is likely to weigh (`ConfigRenderer.render(_:expectedSize:)`).
    public static func existingSize(_ path: String?) -> Int {
        guard let path, path != "-" else { return 0 }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return 0 }
        return Int(status.st_size)
    }

    /// As `write(_:to:)` for text already in UTF-8 (a 45 MB snapshot is not copied into a String and back).
    public static func write(bytes: [UInt8], to path: String?) throws(PipelineError) {
        guard let path, path != "-" else {
            do { try FileReplacement.writeStandardOutput(bytes) } catch { throw .failure("\(error)") }
            return
        }
        do {
            try FileReplacement.write(bytes: bytes, to: path)
        } catch {
            throw .failure("\(path): \(error)")
        }
    }
}
