import Synchronization
import Templating

/// Loads templates from the file system and remembers each file's digest, so an install knows which files (the
/// template and every include) its output was made from, and the next run can tell whether any of them changed
/// without rendering.
final class RecordingLoader: TemplateLoader {
    private let files = Mutex(InstallInputs.Files())
    private let loader = FileSystemLoader()

    func load(_ path: String) throws -> TemplateSource {
        // Digested (and stamped) before the loader reads it: an edit in between is seen by the next run.
        let recorded = InstallInputs.files([path])
        let source = try loader.load(path)
        files.withLock { $0.merge(recorded) }
        return source
    }

    /// Every file loaded so far.
    var loaded: InstallInputs.Files { files.withLock { $0 } }
}
