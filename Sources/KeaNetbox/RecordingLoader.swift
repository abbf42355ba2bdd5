import Synchronization
import Templating

/// Loads templates from the file system and remembers each file's digest, so an install knows which files (the
/// template and every include) its output was made from, and the next run can tell whether any of them changed
/// without rendering.
final class RecordingLoader: TemplateLoader {
    private let files = Mutex<[String: String]>([:])
    private let loader = FileSystemLoader()

    func load(_ path: String) throws -> TemplateSource {
        let source = try loader.load(path)
        let digest = InstallInputs.digests(of: [path])
        files.withLock { $0.merge(digest) { $1 } }
        return source
    }

    /// Path → digest of every file loaded so far.
    var loaded: [String: String] { files.withLock { $0 } }
}
