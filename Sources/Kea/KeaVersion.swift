import Foundation

/// The version of the installed Kea (`kea-dhcp4 -V` prints `2.6.3` on its first line) and what differs
/// between the versions kea-netbox supports. Every version-dependent fact lives here, measured on Debian's
/// packages (2.2.0 bookworm, 2.6.3 trixie, 3.0.4 sid) and read from Kea's ChangeLog.
public struct KeaVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Reads the first `N.N.N` of `kea-dhcpN -V`'s first line (`2.6.3`, `3.0.4-isc20250707…`).
    public init?(versionOutput: String) {
        let line = versionOutput.split(whereSeparator: \.isNewline).first ?? ""
        let digits = line.prefix { $0.isNumber || $0 == "." }
        let parts = digits.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        self.init(parts[0], parts[1], parts.count > 2 ? parts[2] : 0)
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    /// The version of the installed `kea-dhcp4` (or `kea-dhcp6`), found as the check command finds it (PATH, then the
    /// sbin folders of `environment`); nil when neither is installed or `-V` says nothing readable.
    public static func installed(family: KeaFamily? = nil,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> KeaVersion? {
        InstalledServerProgram.ask("-V", family: family, environment: environment) { KeaVersion(versionOutput: $0) }
    }

    /// The programs `installed` asks, in its order: an upgrade of Kea replaces them (what an unchanged install
    /// compares instead of asking `-V` again).
    public static func programs(family: KeaFamily? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        InstalledServerProgram.paths(family: family, environment: environment)
    }

    public static func < (lhs: KeaVersion, rhs: KeaVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// `config-hash-get` exists from 2.4 (2.2 answers "command not supported"); reload replies carry the hash too.
    public var hasConfigHash: Bool { self >= KeaVersion(2, 4, 0) }

    /// Kea restricts where sockets, lease files, logs and hooks may live since the fix for CVE-2025-32801
    /// (ChangeLog 2346, 2.7.9; backported to 2.4.2 and 2.6.3); older releases accept any path.
    public var restrictsPaths: Bool {
        switch (major, minor) {
        case (2, 4): return patch >= 2
        case (2, 6): return patch >= 3
        case (2, 7): return patch >= 9
        default: return self >= KeaVersion(3, 0, 0)
        }
    }

    /// Kea 3 lists its control sockets under `control-sockets`; the singular form is still read by 3.0 but is
    /// gone from the 3.3 development branch, and 2.x knows only the singular.
    public var hasControlSocketList: Bool { major >= 3 }

    /// From 2.6 a subnet without `id` is an error.
    public var requiresSubnetID: Bool { self >= KeaVersion(2, 6, 0) }
}

/// What Kea's `result` numbers mean (`isc::config::CONTROL_RESULT_*`, and the 3.x additions).
public enum KeaResult {
    /// The code Kea 3.1 uses when a `config-reload` or `config-set` arrives while the lease file cleanup (LFC) of
    /// the memfile backend runs; the command can simply be sent again a moment later.
    static let busy: Int64 = 1

    /// Describes a non-zero result for a message.
    static func meaning(_ result: Int64) -> String {
        switch result {
        case 1: return "error"
        case 2: return "command not supported"
        case 3: return "empty result"
        case 4: return "conflict"
        // Kea 3.0.4 / 3.1.7: the new configuration was partly applied and rolling back to the old one failed.
        case 5: return "configuration partially applied and the rollback failed: the server's state is undefined, restart it"
        default: return "unknown result code"
        }
    }

    /// Whether a failed reply is the LFC-in-progress refusal worth one retry.
    /// (3.1.2+: "Can not update configuration while lease file cleanup process is running.")
    static func isBusy(result: Int64, text: String) -> Bool {
        result == busy && text.lowercased().contains("lease file cleanup")
    }
}
