import Foundation

/// Whole-file replacement for other writers of configuration-like files (`render --output`, `snapshot --output`):
/// the destination is only ever changed by a rename, so a reader or a crash sees the old file or the new one,
/// never a part, and the replaced file's owner and mode are kept.
public enum FileReplacement {
    /// `newFileMode` applies when the destination does not exist yet (default: as a Kea configuration beside it,
    /// else 0640, since configurations hold secrets).
    public static func write(_ text: String, to destination: String, newFileMode: mode_t? = nil) throws(InstallError) {
        try AtomicFile.replace(destination, with: Array(text.utf8),
                               ownership: .forReplacing(destination, newFileMode: newFileMode))
    }
}
