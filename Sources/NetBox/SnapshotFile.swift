import Diagnostics
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Reads a snapshot file whole, for `Snapshot.decode`.
///
/// A large regular file is mapped, not copied, under a read lease (`mapped`): the lease keeps every other process
/// from opening the file for writing or truncating it until the mapping is released, so the pages cannot vanish
/// under the decode (a mapped file truncated by someone else kills the reader with SIGBUS). Where no lease can be
/// had (the file is open for writing somewhere, belongs to another user without CAP_LEASE, or its file system has
/// no leases, or is not a local file system), it is read into memory of its own, filled by two threads at once
/// (`fill`).
///
/// Both in ordinary pages. Huge pages (`MADV_HUGEPAGE`) fault a 78 MB copy in 40 faults instead of 19,000, but on a
/// VM whose free memory is reported back to its host (virtio-balloon free page reporting, as on these machines)
/// every huge page is new to the host once other processes have run, and a render took 0.7 s instead of 0.3. The
/// mapping needs no fresh memory at all: the file's pages are in the page cache already (issue 11; benchmarks/
/// README.md, fifth round).
public enum SnapshotFile {
    /// A failure to open or read the file, with the system's message.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// How `read` got the bytes.
    enum Method: Equatable {
        /// A private read-only mapping of the file, under a read lease held until the data is released.
        case mapped
        /// A copy, into memory of its own or through FileHandle.
        case copied
    }

    public static func read(_ path: String) throws(ReadError) -> Data {
        try readReporting(path).data
    }

    static func readReporting(_ path: String) throws(ReadError) -> (data: Data, method: Method) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        // Small files, and anything that is not a regular file of known size (a pipe, /dev/stdin), the usual way.
        guard (status.st_mode & S_IFMT) == S_IFREG, size >= mappedMinimum else { return (try readRest(descriptor), .copied) }
        if let data = mapped(descriptor) { return (data, .mapped) }
        // One byte more than the file's size: a read that fills it means the file grew since fstat.
        let capacity = (size + 1 + pageSize - 1) / pageSize * pageSize
        guard let memory = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              memory != MAP_FAILED
        else { return (try readRest(descriptor), .copied) }
        let filled: Int
        switch fill(descriptor, memory, size: size) {
        case .success(let count) where count <= size:
            filled = count
        case .success:
            // It grew while being read: start again the usual way, from the beginning.
            munmap(memory, capacity)
            guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
            return (try readRest(descriptor), .copied)
        case .failure(let error):
            munmap(memory, capacity)
            throw error
        }
        return (Data(bytesNoCopy: memory, count: filled, deallocator: .custom { pointer, _ in munmap(pointer, capacity) }),
                .copied)
    }

    /// The file mapped under a read lease on a descriptor of its own, both given up when the data is released;
    /// nil when the kernel grants no lease or no mapping (the caller then copies).
    ///
    /// While the lease is held, another process's open for writing, `truncate` or `O_TRUNC` waits (for at most
    /// /proc/sys/fs/lease-break-time, 45 s by default; a decode takes well under a second per 100,000
    /// reservations). The kernel tells the holder by a signal: SIGURG here, set on this descriptor alone, which a
    /// process ignores unless it handles it (SIGIO, the default, would end it). The size is taken under the lease,
    /// so the mapping is the file as it stays until released.
    private static func mapped(_ descriptor: Int32) -> Data? {
        // A lease holds off this machine's processes only: on a network file system another client could still
        // truncate the file under the mapping. Local file systems alone, then.
        guard let type = fileSystemType(descriptor), localFileSystems.contains(type) else { return nil }
        let own = dup(descriptor)
        guard own >= 0 else { return nil }
        guard fcntl(own, fcntlSetSignal, SIGURG) == 0, fcntl(own, fcntlSetLease, Int32(F_RDLCK)) == 0 else {
            close(own)
            return nil
        }
        @Sendable func giveUp() {
            _ = fcntl(own, fcntlSetLease, Int32(F_UNLCK))
            close(own)
        }
        var status = stat()
        guard fstat(own, &status) == 0, Int(status.st_size) >= mappedMinimum else {
            giveUp()
            return nil
        }
        let size = Int(status.st_size)
        // Populated at once: the page cache's pages are mapped in one pass instead of faulted in 16 at a time.
        guard let memory = mmap(nil, size, PROT_READ, MAP_PRIVATE | mapPopulate, own, 0), memory != MAP_FAILED else {
            giveUp()
            return nil
        }
        return Data(bytesNoCopy: memory, count: size, deallocator: .custom { pointer, count in
            munmap(pointer, count)
            giveUp()
        })
    }

    /// `statfs.f_type` of the file systems a snapshot is mapped on (linux/magic.h): ext2/3/4, XFS, Btrfs, tmpfs,
    /// F2FS, OpenZFS, overlayfs. Anything else (NFS, SMB, FUSE, Ceph, 9p, unknown) is copied.
    private static let localFileSystems: Set<UInt> = [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0xF2F5_2010,
                                                      0x2FC1_2FC1, 0x794C_7630]

    /// The `f_type` of `fstatfs(2)` for the file, nil when it cannot be had. Swift's Glibc module has no
    /// sys/vfs.h: the call is looked up by name (`CLibrary`), and `f_type` is the first member of `struct statfs`
    /// (a `long`) on every Linux ABI the package builds for.
    private static func fileSystemType(_ descriptor: Int32) -> UInt? {
        guard let fstatfs = fstatfsCall else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: 512, alignment: 16) { buffer -> UInt? in
            guard let base = buffer.baseAddress, fstatfs(descriptor, base) == 0 else { return nil }
            return UInt(bitPattern: base.load(as: Int.self))
        }
    }

    private static let fstatfsCall = CLibrary.function(
        "fstatfs", as: (@convention(c) (Int32, UnsafeMutableRawPointer) -> Int32).self)

    /// Linux's values, which Swift's Glibc module leaves out (they are behind _GNU_SOURCE).
    private static let fcntlSetLease: Int32 = 1024
    private static let fcntlSetSignal: Int32 = 10
    private static let mapPopulate: Int32 = 0x8000

    /// Files from this size on are mapped, or read into a mapping of their own.
    static let mappedMinimum = 2 << 20

    static var pageSize: Int { max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096) }

    /// Files from this size on are read in two halves at once, the second on a second thread: most of a read
    /// into fresh memory is the kernel zeroing its pages, which two cores do in half the time (78 MB: 21 ms
    /// on one thread, 14 ms on two; 66 ms of a render's 340 when the pages are new to the VM, issue 11).
    static let twoThreadMinimum = 16 << 20

    /// Reads up to `size + 1` bytes from the file's start into `memory`: how many there were (`size + 1` when the
    /// file grew since its size was taken). A read that ends early means the file shrank; what was read is all
    /// there is.
    private static func fill(_ descriptor: Int32, _ memory: UnsafeMutableRawPointer, size: Int) -> Result<Int, ReadError> {
        // The halves meet at a page, so each page is faulted in by one thread.
        let half = size / 2 / pageSize * pageSize
        guard size >= twoThreadMinimum, half > 0 else { return pread(descriptor, memory, count: size + 1, at: 0) }
        nonisolated(unsafe) let second = memory + half
        let secondResult = Mutex<Result<Int, ReadError>?>(nil)
        guard let thread = JoinableThread.start({
            let result = pread(descriptor, second, count: size + 1 - half, at: half)
            secondResult.withLock { $0 = result }
        }) else { return pread(descriptor, memory, count: size + 1, at: 0) }
        let first = pread(descriptor, memory, count: half, at: 0)
        thread.join()
        switch (first, secondResult.withLock({ $0 })) {
        case (.failure(let error), _), (_, .failure(let error)?):
            return .failure(error)
        case (.success(let count), _) where count < half:
            // It shrank below the first half: whatever the second thread found is past its end.
            return .success(count)
        case (.success, .success(let count)?):
            return .success(half + count)
        case (.success, nil):
            return .failure(ReadError(description: "the second half of the file was not read"))
        }
    }

    /// Up to `count` bytes at `offset` into `memory`, fewer only at the file's end.
    private static func pread(_ descriptor: Int32, _ memory: UnsafeMutableRawPointer, count: Int, at offset: Int)
        -> Result<Int, ReadError>
    {
        var filled = 0
        while filled < count {
            let read = Glibc.pread(descriptor, memory + filled, count - filled, off_t(offset + filled))
            if read < 0, errno == EINTR { continue }
            if read < 0 { return .failure(ReadError(description: String(cString: strerror(errno)))) }
            if read == 0 { break }
            filled += read
        }
        return .success(filled)
    }

    /// The rest of the file from its current position, through FileHandle.
    private static func readRest(_ descriptor: Int32) throws(ReadError) -> Data {
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw ReadError(description: error.localizedDescription)
        }
    }
}
