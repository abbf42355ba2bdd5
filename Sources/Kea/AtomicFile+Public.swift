/// Whole-file replacement for other writers of configuration-like files (`render --output`, `snapshot --output`):
/// the destination is only ever changed by a rename, so a reader or a crash sees the old file or the new one,
/// never a part, and the replaced file's owner and mode are kept.
public enum FileReplacement {
    public static func write(_ text: String, to destination: String) throws(InstallError) {
        try write(bytes: Array(text.utf8), to: destination)
    }

    public static func write(bytes: [UInt8], to destination: String) throws(InstallError) {
        try AtomicFile.replace(destination, with: bytes, ownership: .forReplacing(destination))
    }
}
