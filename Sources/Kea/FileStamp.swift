import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `stat` says about a file: device, inode, size, modification and status-change times (nanoseconds). An
/// unchanged install compares stamps instead of reading and hashing the files (12 MB installed at 100,000
/// reservations, a 40 MB snapshot), which would cost more than the rest of the run.
///
/// Why equal stamps mean equal bytes: every write, truncation, rename onto the path or new file at it sets the
/// file's status-change time (ctime) to the current time, and no system call sets ctime to a chosen value (utimensat
/// sets mtime and sets ctime to now). A rename or a new file also changes the inode. So a file whose stamp is the
/// one recorded has not been touched since, with one gap: two writes within one tick of the file system's clock
/// (a jiffy on ext4, XFS, btrfs and tmpfs; up to 2 s on FAT or old NFS servers) get the same ctime. Hence a stamp
/// is only recorded once the file is older than `settleTime` ("racily clean" entries in Git's index are the same
/// problem): a later write then lands on a later tick. What stays unseen is a write that bypasses the file system
/// (the block device, debugfs) or a clock stepped back by more than `settleTime` between a write and its
/// predecessor; `install --full` and `watch --full-every` read and compare the bytes whatever the stamps say.
public struct FileStamp: Codable, Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modified: Int64
    public var changed: Int64

    /// How old a file must be before its stamp stands for its content: more than the coarsest file-system clock.
    public static let settleTime: Int64 = 2_000_000_000

    /// The stamp of the regular file at `path` (links followed), nil when there is none.
    public static func current(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileStamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         modified: nanoseconds(info.st_mtim), changed: nanoseconds(info.st_ctim))
    }

    /// The stamp of `path` when it may be recorded: taken before the file's bytes are read (a write during the
    /// read then changes it), and nil while the file was written less than `settleTime` ago.
    public static func settled(_ path: String) -> FileStamp? {
        guard let stamp = current(path) else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let limit = nanoseconds(now) - settleTime
        return stamp.changed < limit && stamp.modified < limit ? stamp : nil
    }

    private static func nanoseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
