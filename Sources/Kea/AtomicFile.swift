import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replacing a file so that readers only ever see the old whole file or the new whole file: write a
/// temporary file in the same folder (same file system, so `rename` is atomic; and inside the folder an
/// AppArmor profile lets Kea read), fsync it, rename it over the destination, fsync the folder.
///
/// Temporary files are named `.<name>.kea-netbox-XXXXXX` so a run killed half-way leaves a file the next
/// run recognises and removes.
enum AtomicFile {
    static func temporaryPrefix(for destination: String) -> String {
        "." + (destination as NSString).lastPathComponent + ".kea-netbox-"
    }

    static func folder(of destination: String) -> String {
        let folder = (destination as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// Owner and permission bits to give the new file: the replaced file's. A new file must be readable by the
    /// server too, which on Debian runs as `_kea` from a root-owned /etc/kea where the package's own files are
    /// `root:_kea 0640`: so a new file takes the group and read bits of a Kea configuration beside it (the file
    /// the server runs with), else mode 0640 with the folder's group.
    struct Ownership: Equatable {
        let owner: uid_t?
        let group: gid_t?
        let mode: mode_t

        /// The files whose group and mode a new file beside them copies, in this order.
        static let siblings = ["kea-dhcp4.conf", "kea-dhcp6.conf", "kea-ctrl-agent.conf", "kea-dhcp-ddns.conf"]

        /// `newFileMode`: the mode of a file that does not exist yet and is no Kea configuration (a metrics file);
        /// nil: a configuration, which takes the group and mode of the Kea configurations beside it (so the Kea
        /// server can read it), else the folder's group and 0640.
        static func forReplacing(_ destination: String, newFileMode: mode_t? = nil) -> Ownership {
            var info = stat()
            // lstat: a link's target is not the file being replaced (a link is replaced by the file).
            if lstat(destination, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                return Ownership(owner: info.st_uid, group: info.st_gid, mode: info.st_mode & 0o7777)
            }
            let folder = folder(of: destination)
            let name = (destination as NSString).lastPathComponent
            for sibling in siblings where sibling != name && newFileMode == nil {
                var siblingInfo = stat()
                if lstat(folder + "/" + sibling, &siblingInfo) == 0, (siblingInfo.st_mode & S_IFMT) == S_IFREG {
                    // The sibling's read and write bits for owner and group, never for others (it may hold secrets).
                    return Ownership(owner: nil, group: siblingInfo.st_gid, mode: (siblingInfo.st_mode & 0o660) | 0o600)
                }
            }
            var folderInfo = stat()
            let group: gid_t? = stat(folder, &folderInfo) == 0 ? folderInfo.st_gid : nil
            return Ownership(owner: nil, group: group, mode: newFileMode ?? 0o640)
        }
    }

    /// How much of a file written in pieces is handed to the disk at a time, before the closing fsync
    /// (`sync_file_range`, which starts the writeback and does not wait for it).
    static let writebackStep = 8 << 20

    /// `sync_file_range(2)` with `SYNC_FILE_RANGE_WRITE`: Linux's call that starts writing a range of a file to
    /// the disk and returns at once. Looked up in the C library by name, as Swift's Glibc module does not declare
    /// it (a GNU extension); where it is missing, the fsync does all the work as before.
    private static let syncFileRange = CLibrary.function(
        "sync_file_range", as: (@convention(c) (Int32, off_t, off_t, UInt32) -> Int32).self)

    /// Starts the writeback of `count` bytes at `offset` (advice: errors are the closing fsync's to report).
    private static func startWriteback(_ descriptor: Int32, from offset: Int, count: Int) {
        let syncFileRangeWrite: UInt32 = 2
        _ = syncFileRange?(descriptor, off_t(offset), off_t(count), syncFileRangeWrite)
    }

    /// Writes `bytes` to a new temporary file beside `destination` with `ownership`, fsynced; returns its path.
    static func writeTemporary(_ bytes: [UInt8], beside destination: String, ownership: Ownership) throws(InstallError) -> String {
        try writeTemporary(beside: destination, ownership: ownership) { (write) throws(InstallError) in try write(bytes) }
    }

    /// As `writeTemporary(_:beside:ownership:)` with the contents handed to `write` a piece at a time by `contents`
    /// (a large snapshot is never held whole).
    static func writeTemporary(beside destination: String, ownership: Ownership,
                               contents: (_ write: ([UInt8]) throws(InstallError) -> Void) throws(InstallError) -> Void)
        throws(InstallError) -> String
    {
        let template = folder(of: destination) + "/" + temporaryPrefix(for: destination) + "XXXXXX"
        var pathBytes = Array(template.utf8CString)
        let descriptor = pathBytes.withUnsafeMutableBufferPointer { buffer in
            mkstemp(buffer.baseAddress!)
        }
        guard descriptor >= 0 else {
            throw .io("cannot create a temporary file in \(folder(of: destination)): \(errorText())")
        }
        let path = String(decoding: pathBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        do throws(InstallError) {
            var written = 0
            var handedToDisk = 0
            try contents { (piece) throws(InstallError) in
                try writeAll(piece, to: descriptor, path: path)
                written += piece.count
                // A large file written a piece at a time (a snapshot) starts going to the disk as it is written:
                // the fsync below then waits for the last pieces only, not for all of it.
                if written - handedToDisk >= writebackStep {
                    startWriteback(descriptor, from: handedToDisk, count: written - handedToDisk)
                    handedToDisk = written
                }
            }
            if fchmod(descriptor, ownership.mode) != 0 {
                throw .io("cannot set mode \(String(ownership.mode, radix: 8)) on \(path): \(errorText())")
            }
            if ownership.owner != nil || ownership.group != nil {
                let owner = ownership.owner ?? uid_t.max
                let group = ownership.group ?? gid_t.max
                // Giving the file the replaced file's owner needs root unless it is ours already; a new file's
                // folder group is only a courtesy.
                if fchown(descriptor, owner, group) != 0, ownership.owner != nil {
                    throw .io("cannot give \(path) the owner \(owner):\(group) of the file it replaces: \(errorText())")
                }
            }
            if fsync(descriptor) != 0 {
                throw .io("cannot fsync \(path): \(errorText())")
            }
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
        close(descriptor)
        return path
    }

    /// Writes every byte, `writeStep` at a time.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(InstallError) {
        let failure: String? = bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            var written = 0
            while written < raw.count {
                let result = write(descriptor, base + written, min(raw.count - written, writeStep))
                if result < 0 {
                    if errno == EINTR { continue }
                    return errorText()
                }
                written += result
            }
            return nil
        }
        if let failure { throw .io("cannot write \(path): \(failure)") }
    }

    /// The most one `write` call is given. A write of n bytes lets the page cache take folios of up to n bytes for
    /// the file (ext4's large folios, Linux 6.16 and later), and large folios come from the large free blocks that
    /// a VM with free page reporting (virtio-balloon, as on these machines) has handed back to its host: each is
    /// new to the host when first written, and a 78 MB snapshot written a MiB at a time took 0.35–0.58 s of
    /// kernel time instead of 0.08–0.13 s in 64 KiB writes (issue 11; benchmarks/README.md, fifth round).
    static let writeStep = 64 << 10

    /// Renames `temporary` over `destination` and fsyncs the folder so the rename survives a crash.
    static func rename(_ temporary: String, over destination: String) throws(InstallError) {
        guard Glibc.rename(temporary, destination) == 0 else {
            throw .io("cannot rename \(temporary) to \(destination): \(errorText())")
        }
        syncFolder(of: destination)
    }

    static func syncFolder(of path: String) {
        let descriptor = open(folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Replaces `destination` with `bytes` atomically (used to restore the previous file).
    static func replace(_ destination: String, with bytes: [UInt8], ownership: Ownership) throws(InstallError) {
        try replace(destination, ownership: ownership) { (write) throws(InstallError) in try write(bytes) }
    }

    /// Replaces `destination` atomically with what `contents` hands to `write`, a piece at a time.
    static func replace(_ destination: String, ownership: Ownership,
                        contents: (_ write: ([UInt8]) throws(InstallError) -> Void) throws(InstallError) -> Void)
        throws(InstallError)
    {
        let temporary = try writeTemporary(beside: destination, ownership: ownership, contents: contents)
        do throws(InstallError) {
            try rename(temporary, over: destination)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Removes temporary files of earlier runs (killed before they could clean up). Called with the
    /// install lock held, so no other run can own a temporary file modified before this run began.
    @discardableResult
    static func removeStaleTemporaries(beside destination: String, olderThan start: Date) -> [String] {
        let folder = folder(of: destination)
        let prefix = temporaryPrefix(for: destination)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) && name.count == prefix.count + 6 {
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
            if modified < start, unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }

    /// Reads a whole regular file; nil when it does not exist. Links are not followed (`TrustedPath` resolves the
    /// ones allowed first); a FIFO or device is refused without blocking on it or reading it endlessly.
    static func read(_ path: String) throws(InstallError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw .unsafePath("refusing to read \(path): it is a symbolic link") }
            throw .io("cannot read \(path): \(errorText())")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io("cannot inspect \(path): \(errorText())") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unsafePath("refusing to read \(path): it is \(TrustedPath.kind(info.st_mode)), not a regular file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read \(path): \(errorText())")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}
