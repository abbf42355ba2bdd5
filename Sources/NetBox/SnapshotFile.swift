import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Reads a snapshot file whole, for `Snapshot.decode`.
///
/// The bytes are read (a copy), not mapped: a mapped file truncated by someone else while it is decoded would
/// kill the process with SIGBUS instead of failing with a message. A large file goes into a mapping of its own,
/// filled by two threads at once (`fill`), in ordinary pages: huge pages (`MADV_HUGEPAGE`) fault a 78 MB snapshot
/// in 40 faults instead of 19,000, but on a VM whose free memory is reported back to the host (virtio-balloon's
/// free page reporting, as on these machines) every huge page is new to the host once another process has run,
/// and the render took 0.7 s instead of 0.3 (issue 11; benchmarks/README.md, fifth round).
public enum SnapshotFile {
    /// A failure to open or read the file, with the system's message.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ path: String) throws(ReadError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        // Small files, and anything that is not a regular file of known size (a pipe, /dev/stdin), the usual way.
        guard (status.st_mode & S_IFMT) == S_IFREG, size >= mappedMinimum else { return try readRest(descriptor) }
        // One byte more than the file's size: a read that fills it means the file grew since fstat.
        let capacity = (size + 1 + pageSize - 1) / pageSize * pageSize
        guard let memory = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              memory != MAP_FAILED
        else { return try readRest(descriptor) }
        let filled: Int
        switch fill(descriptor, memory, size: size) {
        case .success(let count) where count <= size:
            filled = count
        case .success:
            // It grew while being read: start again the usual way, from the beginning.
            munmap(memory, capacity)
            guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
            return try readRest(descriptor)
        case .failure(let error):
            munmap(memory, capacity)
            throw error
        }
        return Data(bytesNoCopy: memory, count: filled, deallocator: .custom { pointer, _ in munmap(pointer, capacity) })
    }

    /// Files from this size on are read into a mapping of their own.
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
