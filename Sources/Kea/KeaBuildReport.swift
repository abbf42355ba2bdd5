import Foundation

/// What the installed Kea was compiled to use, from its build report (`kea-dhcpN -W`). Only the hooks folder is read:
/// it is where Kea ≥ 2.4.2 requires hook libraries to live, and it follows the machine's multiarch triplet
/// (`/usr/lib/aarch64-linux-gnu/kea/hooks` on a Raspberry Pi) or the packager's layout (`/usr/lib64/kea/hooks`), so
/// no single compiled-in guess of ours is right everywhere.
public enum KeaBuildReport {
    /// The `Hooks directory:` line of a build report (the same on 2.2, 2.6 and 3.0), without trailing slashes.
    public static func hooksDirectory(in report: String) -> String? {
        for line in report.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("Hooks directory:") else { continue }
            var folder = String(trimmed.dropFirst("Hooks directory:".count)).trimmingCharacters(in: .whitespaces)
            while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
            return folder.hasPrefix("/") ? folder : nil
        }
        return nil
    }

    /// The installed server's hooks folder, found as the check command finds the program; nil when there is no such
    /// program or its report names none.
    public static func installedHooksDirectory(family: KeaFamily?,
                                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        InstalledServerProgram.ask("-W", family: family, environment: environment) { hooksDirectory(in: $0) }
    }
}
