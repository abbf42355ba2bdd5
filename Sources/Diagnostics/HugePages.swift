#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large buffers with 2 MiB pages (`MADV_HUGEPAGE`; Debian's default for transparent huge
/// pages is "madvise", so without the advice a process gets 4 KiB pages only). A buffer of tens of MB written once
/// from start to end costs one page fault per 4 KiB otherwise: at 100,000 reservations the snapshot's bytes and
/// the reservations array (78 MB and 36 MB) were 28,000 of a render's 43,000 faults, and the 11 MB of output
/// (with the copies made as its array grew) 5,500 more, each a few microseconds of kernel time on these VMs
/// (issue 11). Advice only: where the kernel has no huge page to give, or huge pages are off, the memory works as
/// before.
public enum HugePages {
    @inlinable public static var size: Int { 2 << 20 }

    /// Advises the whole pages inside `start ..< start + byteCount`.
    public static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0, byteCount >= size else { return }
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + byteCount) / page * page
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, end - first, MADV_HUGEPAGE)
    }

    /// Reserves room for `capacity` elements in `array` and advises that storage: for an array about to be
    /// filled with that many elements.
    public static func reserve<Element>(_ capacity: Int, in array: inout [Element]) {
        array.reserveCapacity(capacity)
        let bytes = array.capacity * MemoryLayout<Element>.stride
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            advise(UnsafeMutableRawPointer(base), byteCount: bytes)
        }
    }

    /// Keeps room for `headroom` more bytes in `bytes` once its storage is past a quarter MiB: it then grows
    /// ahead, by doubling, into storage advised before the old bytes are copied in (`reserveCapacity` would copy
    /// them first, into 4 KiB pages). For a buffer appended to in small steps: a render's output, checked once
    /// per loop item.
    @inlinable
    public static func keepRoom(_ headroom: Int, in bytes: inout [UInt8]) {
        guard bytes.capacity - bytes.count < headroom, bytes.capacity >= size / 8 else { return }
        grow(&bytes, to: 2 * bytes.capacity + headroom)
    }

    @usableFromInline static func grow(_ bytes: inout [UInt8], to capacity: Int) {
        bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            if let base = buffer.baseAddress { advise(UnsafeMutableRawPointer(base), byteCount: buffer.count) }
            count = bytes.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
        }
    }
}
