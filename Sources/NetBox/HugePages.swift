#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large buffers with 2 MiB pages (`MADV_HUGEPAGE`; Debian's default for transparent huge
/// pages is "madvise", so without the advice a process gets 4 KiB pages only). A buffer of tens of MB written once
/// from start to end costs one page fault per 4 KiB otherwise: at 100,000 reservations the snapshot's bytes and
/// the reservations array (78 MB and 36 MB) were 28,000 of a render's 43,000 faults, each a few microseconds of
/// kernel time on these VMs (issue 11). Advice only: where the kernel has no huge page to give, or huge pages are
/// off, the memory works as before.
enum HugePages {
    static let size = 2 << 20

    /// Advises the whole pages inside `start ..< start + byteCount`.
    static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0, byteCount >= size else { return }
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + byteCount) / page * page
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, end - first, MADV_HUGEPAGE)
    }

    /// Reserves room for `capacity` elements in `array` and advises that storage: for an array about to be
    /// filled with that many elements.
    static func reserve<Element>(_ capacity: Int, in array: inout [Element]) {
        array.reserveCapacity(capacity)
        let bytes = array.capacity * MemoryLayout<Element>.stride
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            advise(UnsafeMutableRawPointer(base), byteCount: bytes)
        }
    }
}
