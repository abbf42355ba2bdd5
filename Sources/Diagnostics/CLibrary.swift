#if canImport(Glibc)
import Glibc
#endif

/// Functions of the C library that Swift's Glibc module does not declare (GNU extensions such as
/// `sync_file_range`, headers it leaves out such as sys/vfs.h), looked up by name at run time: where one is
/// missing, its caller does without.
public enum CLibrary {
    /// The C library's function `name` as `type` (a `@convention(c)` function type), nil where there is none.
    public static func function<Function>(_ name: String, as type: Function.Type) -> Function? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
