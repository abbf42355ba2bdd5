import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a snapshot file whole, for `Snapshot.decode`.
///
/// The bytes are read (a copy), not mapped: a mapped file truncated by someone else while it is decoded would
/// kill the process with SIGBUS instead of failing with a message. The copy goes into memory asked for in huge
/// pages where the kernel allows it (`HugePages`): a 78 MB snapshot in 4 KiB pages costs about 19,000 page faults,
/// a third of a render's, in 2 MiB pages about 40.
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
        guard (status.st_mode & S_IFMT) == S_IFREG, size >= HugePages.size else { return try readRest(descriptor) }
        // One byte more than the file's size: a read that fills it means the file grew since fstat.
        let capacity = (size + 1 + HugePages.size - 1) / HugePages.size * HugePages.size
        guard let memory = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              memory != MAP_FAILED
        else { return try readRest(descriptor) }
        HugePages.advise(memory, byteCount: capacity)
        var filled = 0
        while filled < size + 1 {
            let count = Glibc.read(descriptor, memory + filled, size + 1 - filled)
            if count < 0, errno == EINTR { continue }
            if count < 0 {
                let message = String(cString: strerror(errno))
                munmap(memory, capacity)
                throw ReadError(description: message)
            }
            if count == 0 { break }
            filled += count
        }
        guard filled <= size else {
            // It grew while being read: start again the usual way, from the beginning.
            munmap(memory, capacity)
            guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
            return try readRest(descriptor)
        }
        return Data(bytesNoCopy: memory, count: filled, deallocator: .custom { pointer, _ in munmap(pointer, capacity) })
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
