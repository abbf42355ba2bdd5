import Foundation
import Kea

/// Where `render` and `snapshot` put their text: standard output, or a file replaced atomically.
public enum OutputFile {
    public static func write(_ text: String, to path: String?) throws(PipelineError) {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// As `write(_:to:)` for text already in UTF-8 (a 45 MB snapshot is not copied into a String and back).
    public static func write(bytes: [UInt8], to path: String?) throws(PipelineError) {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try FileReplacement.write(bytes: bytes, to: path)
        } catch {
            throw .failure("\(path): \(error)")
        }
    }
}
