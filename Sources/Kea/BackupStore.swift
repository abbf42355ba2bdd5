import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps copies of replaced configurations (`kea-dhcp4.conf.20261126T183012.123Z`) in a folder, the
/// newest `keep` of them, so an operator can go back by hand. Backups may hold secrets (lease database
/// passwords), so the folder is 0700 and the files 0600.
struct BackupStore {
    let folder: String
    let keep: Int

    /// Saves `bytes` as the backup of `destination` and prunes old ones; returns the backup's path.
    @discardableResult
    func save(_ bytes: [UInt8], of destination: String, at date: Date = Date()) throws(InstallError) -> String {
        if mkdir(self.folder, 0o700) != 0, errno != EEXIST {
            throw .io("cannot create the backup folder \(self.folder): \(AtomicFile.errorText())")
        }
        // Backups are written and old ones deleted in this folder: a link or folder another user controls would
        // point both elsewhere. Checked after mkdir, so an entry planted in between is seen.
        let folder: String
        do { folder = try TrustedPath.backupFolder(self.folder) } catch { throw .unsafePath(error.description) }
        let name = (destination as NSString).lastPathComponent
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        var path = folder + "/" + name + "." + formatter.string(from: date)
        var suffix = 1
        while FileManager.default.fileExists(atPath: path) {
            path = folder + "/" + name + "." + formatter.string(from: date) + "-\(suffix)"
            suffix += 1
        }
        // Staging files of a run killed while writing a backup, named like any staging file.
        let backupName = (path as NSString).lastPathComponent
        if let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            for stale in names where stale.hasPrefix("." + name + ".") && stale.contains(".kea-netbox-") && !stale.hasPrefix("." + backupName) {
                unlink(folder + "/" + stale)
            }
        }
        try AtomicFile.replace(path, with: bytes, ownership: .init(owner: nil, group: nil, mode: 0o600))
        prune(name: name)
        return path
    }

    /// The backups of `name`, oldest first (timestamps sort as text).
    func backups(of name: String) -> [String] {
        let prefix = name + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).first?.isNumber == true }
            .sorted()
            .map { folder + "/" + $0 }
    }

    private func prune(name: String) {
        let all = backups(of: name)
        guard all.count > keep else { return }
        for path in all.prefix(all.count - max(keep, 0)) { unlink(path) }
    }
}
