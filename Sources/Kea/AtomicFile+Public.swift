import Foundation

/// Whole-file replacement for other writers of configuration-like files (`render --output`, `snapshot --output`):
/// the destination is only ever changed by a rename, so a reader or a crash sees the old file or the new one,
/// never a part, and the replaced file's owner and mode are kept.
public enum FileReplacement {
    /// `newFileMode` applies when the destination does not exist yet (default: as a Kea configuration beside it,
    /// else 0640, since configurations hold secrets).
    public static func write(_ text: String, to destination: String, newFileMode: mode_t? = nil) throws(InstallError) {
        try write(bytes: Array(text.utf8), to: destination, newFileMode: newFileMode)
    }

    /// As `write(_:to:newFileMode:)` for text already in UTF-8 (a 45 MB snapshot is not copied into a String).
    public static func write(bytes: [UInt8], to destination: String, newFileMode: mode_t? = nil) throws(InstallError) {
        try AtomicFile.replace(destination, with: bytes, ownership: .forReplacing(destination, newFileMode: newFileMode))
    }

    /// As `write(bytes:to:newFileMode:)` with the bytes handed to `write` a piece at a time by `contents`.
    public static func write(to destination: String, newFileMode: mode_t? = nil,
                             contents: (_ write: ([UInt8]) throws(InstallError) -> Void) throws(InstallError) -> Void)
        throws(InstallError)
    {
        try AtomicFile.replace(destination, ownership: .forReplacing(destination, newFileMode: newFileMode), contents: contents)
    }

    /// Writes `bytes` whole to standard output (`render` without `--output`), from the array's own storage: no
    /// copy into a `Data` first, and a failed write (a closed pipe, a full disk) is an error to report, not a
    /// crash.
    public static func writeStandardOutput(_ bytes: [UInt8]) throws(InstallError) {
        try AtomicFile.writeAll(bytes, to: STDOUT_FILENO, path: "standard output")
    }
}
