import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<output>.lock`, held for the whole install (DESIGN §6 step 1) so two runs
/// (a timer and an operator) never interleave. The kernel drops the lock when the process dies, so a
/// killed run never blocks the next one.
public final class InstallLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Waits up to `timeout` for the lock, polling, then fails naming the lock file.
    public init(output: String, timeout: Duration = .seconds(60)) throws(InstallError) {
        let path = output + ".lock"
        // O_CLOEXEC: a reload command that starts a long-lived process must not inherit (and keep) the lock.
        // O_NOFOLLOW: a link planted by a user who can write the folder would make a root run create or truncate
        // its target; O_NONBLOCK: a planted FIFO must not hang the run.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP {
                throw .unsafePath("refusing the lock file \(path): it is a symbolic link (someone who can write its folder may have planted it); remove it")
            }
            throw .io(Self.openFailure(path: path, output: output, error: code))
        }
        var info = stat()
        // A hard link to another file (possible where protected_hardlinks is off) would be truncated below.
        if fstat(descriptor, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG || info.st_nlink != 1 {
            close(descriptor)
            let what = (info.st_mode & S_IFMT) != S_IFREG ? TrustedPath.kind(info.st_mode) : "a file with \(info.st_nlink) hard links"
            throw .unsafePath("refusing the lock file \(path): it is \(what), not a regular file of its own; remove it")
        }
        let start = ContinuousClock.now
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            guard error == EWOULDBLOCK || error == EINTR else {
                close(descriptor)
                throw .io("cannot lock \(path): \(String(cString: strerror(error)))")
            }
            if ContinuousClock.now - start >= timeout {
                close(descriptor)
                throw .lockTimeout("another kea-netbox install holds the lock \(path); gave up after \(timeout)")
            }
            usleep(50_000)
        }
        // The holder's pid in the file helps an operator find a stuck run; the lock itself is the flock.
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.path = path
        self.descriptor = descriptor
    }

    /// The lock is the first file an install creates beside the output, so its failure is where a newcomer
    /// learns that the folder is missing or not writable: say that, not just "cannot open the lock file".
    static func openFailure(path: String, output: String, error: Int32) -> String {
        let folder = AtomicFile.folder(of: output)
        switch error {
        case ENOENT:
            return "the folder of --output \(output) does not exist: \(folder) (is Kea installed? create the folder or fix --output)"
        case EACCES, EPERM, EROFS:
            let who = getuid() == 0 ? "root" : "user \(getuid())"
            return "cannot create files in \(folder) as \(who) (\(String(cString: strerror(error)))): install writes "
                + "its lock \(path), a staging file and backups beside --output; run it as root, or make the folder "
                + "writable for this user (README: running as _kea)"
        default:
            return "cannot open the lock file \(path): \(String(cString: strerror(error)))"
        }
    }

    deinit {
        close(descriptor)
    }
}
