import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which paths an install may follow, so that a user who can write the output's folder (Debian's `/etc/kea` is
/// often made writable for `_kea`) cannot make a root run write, read or delete somewhere else.
///
/// The rule: a symbolic link is followed only when the link itself, and every folder on the way to it and to its
/// target, is owned by root or by the user running kea-netbox, and no folder on the way is writable by anyone
/// else — group-writable only for root's or the process's own group; a sticky folder such as /tmp counts as safe,
/// because there other users cannot replace entries they do not own, and those entries are checked themselves.
/// Whatever the path leads to must be a regular file (a folder, for the backup folder): a FIFO would block the run
/// while it holds the lock, `/dev/zero` would be read until memory runs out.
public enum TrustedPath {
    /// Why a path was refused, naming the component that makes it unsafe.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Linux's own limit (MAXSYMLINKS) on links followed for one path.
    static let maximumLinks = 40

    /// The file to replace for `path`: `path` itself when it is not a link, else its target, when the rule allows.
    /// Refuses anything other than a regular file or a missing one.
    public static func output(_ path: String) throws(Refusal) -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else { return path }
        let resolved: String
        if (info.st_mode & S_IFMT) == S_IFLNK {
            resolved = try resolve(path, role: "output")
        } else {
            resolved = path
        }
        var target = stat()
        if lstat(resolved, &target) == 0, (target.st_mode & S_IFMT) != S_IFREG {
            throw Refusal(description: "refusing to install to \(describe(resolved, of: path)): it is \(kind(target.st_mode)), not a regular file")
        }
        return resolved
    }

    /// The backup folder to write into for `path`: the folder itself, or its link's target when the rule allows.
    /// The folder must be owned by root or this user and not writable by others, because backups are
    /// created and old ones deleted in it. A missing folder is fine (it is created, mode 0700).
    public static func backupFolder(_ path: String) throws(Refusal) -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else { return path }
        let resolved = (info.st_mode & S_IFMT) == S_IFLNK ? try resolve(path, role: "backup folder") : path
        var target = stat()
        guard lstat(resolved, &target) == 0 else { return resolved }
        guard (target.st_mode & S_IFMT) == S_IFDIR else {
            throw Refusal(description: "refusing the backup folder \(describe(resolved, of: path)): it is \(kind(target.st_mode)), not a folder")
        }
        if let problem = untrusted(target, isFolder: true) {
            throw Refusal(description: "refusing the backup folder \(describe(resolved, of: path)): it \(problem)")
        }
        return resolved
    }

    /// Follows every link in `path` component by component, checking each entry on the way against the rule.
    static func resolve(_ path: String, role: String) throws(Refusal) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var pending = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        pending.reverse()
        var current = "/"
        try checkFolder(current, path: path, role: role)
        var links = 0
        while let name = pending.popLast() {
            if name == "." { continue }
            if name == ".." {
                current = AtomicFile.folder(of: current)
                if current == "." { current = "/" }
                continue
            }
            let candidate = current == "/" ? "/" + name : current + "/" + name
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                // A missing last component is a file still to be created; a missing folder fails later, plainly.
                pending.reverse()
                return ([candidate] + pending).joined(separator: "/")
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                links += 1
                guard links <= maximumLinks else {
                    throw Refusal(description: "refusing the \(role) \(path): more than \(maximumLinks) symbolic links on the way")
                }
                if let problem = untrusted(info, isFolder: false) {
                    throw Refusal(description: "refusing to follow the symbolic link \(candidate) for the \(role) \(path): the link \(problem)")
                }
                guard let target = linkTarget(candidate) else {
                    throw Refusal(description: "cannot read the symbolic link \(candidate): \(AtomicFile.errorText())")
                }
                if target.hasPrefix("/") {
                    current = "/"
                }
                pending.append(contentsOf: target.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
            case S_IFDIR where !pending.isEmpty:
                try checkFolder(candidate, path: path, role: role)
                current = candidate
            default:
                guard pending.isEmpty else {
                    throw Refusal(description: "refusing the \(role) \(path): \(candidate) is \(kind(info.st_mode)), not a folder")
                }
                return candidate
            }
        }
        return current
    }

    private static func checkFolder(_ folder: String, path: String, role: String) throws(Refusal) {
        var info = stat()
        guard lstat(folder, &info) == 0 else {
            throw Refusal(description: "cannot inspect \(folder) on the way to the \(role) \(path): \(AtomicFile.errorText())")
        }
        if let problem = untrusted(info, isFolder: true) {
            throw Refusal(description: "refusing to follow the symbolic link \(path) (\(role)): the folder \(folder) on the way \(problem)")
        }
    }

    /// Why an entry could have been planted or replaced by another user, or nil.
    static func untrusted(_ info: stat, isFolder: Bool) -> String? {
        let user = geteuid()
        if info.st_uid != 0, info.st_uid != user {
            return "belongs to \(userName(info.st_uid)), not to root" + (user == 0 ? "" : " or \(userName(user))")
        }
        guard isFolder else { return nil }
        let sticky = info.st_mode & S_ISVTX != 0
        if info.st_mode & S_IWOTH != 0, !sticky {
            return "is writable by every user (mode \(String(info.st_mode & 0o7777, radix: 8)))"
        }
        if info.st_mode & S_IWGRP != 0, !sticky, info.st_gid != 0, info.st_gid != getegid() {
            return "is writable by the group \(groupName(info.st_gid)) (mode \(String(info.st_mode & 0o7777, radix: 8)))"
        }
        return nil
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func describe(_ resolved: String, of path: String) -> String {
        resolved == path ? path : "\(path) (a link to \(resolved))"
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a folder"
        case S_IFLNK: return "a symbolic link"
        case S_IFREG: return "a regular file"
        default: return "not a regular file"
        }
    }

    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "\(String(cString: name)) (uid \(uid))"
    }

    private static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return "gid \(gid)" }
        return "\(String(cString: name)) (gid \(gid))"
    }
}
