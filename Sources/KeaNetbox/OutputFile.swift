import Foundation
import Kea

/// Where `render` and `snapshot` put their text: standard output, or a file replaced atomically.
public enum OutputFile {
    public static func write(_ text: String, to path: String?) throws(PipelineError) {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try FileReplacement.write(text, to: path)
        } catch {
            throw .failure("\(path): \(error)")
        }
    }
}
