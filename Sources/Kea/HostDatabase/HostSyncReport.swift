/// What a hosts sync did, for the one-line summary.
public struct HostSyncReport: Sendable {
    public enum Action: String, Sendable {
        /// Changes were committed.
        case synced
        /// The database already held exactly the rendered hosts: nothing written.
        case unchanged
        /// `--dry-run`: checked, diffed, rolled back.
        case dryRun
    }

    public let action: Action
    public let added: Int
    public let removed: Int
    public let changed: Int
    /// Managed hosts after the sync, per family.
    public let hosts4: Int
    public let hosts6: Int
    /// Kea's schema version, e.g. `13.0`.
    public let schemaVersion: String
    /// The `-` / `+` lines (dry run only).
    public let diff: String?
    public let warnings: [ConfigFinding]
    /// How long the writing statements and the commit took: the only moment Kea's view of the hosts changes.
    public let writeElapsed: Duration?
    /// The whole run, reading NetBox and rendering included.
    public let elapsed: Duration

    /// e.g. `synced Kea host database (schema 13.0): +3 -1 ~2 hosts (1200 in total: 1000 DHCPv4, 200 DHCPv6),
    /// written in 0.01 s, no reload needed, 0.41 s`
    public var summaryLine: String {
        func seconds(_ duration: Duration) -> String {
            String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        let time = seconds(elapsed)
        let total = "\(hosts4 + hosts6) in total: \(hosts4) DHCPv4, \(hosts6) DHCPv6"
        let counts = "+\(added) -\(removed) ~\(changed) hosts (\(total))"
        let database = "Kea host database (schema \(schemaVersion))"
        switch action {
        case .unchanged: return "\(database) is up to date: \(total), nothing written, \(time)"
        case .dryRun: return "dry run \(database): would change \(counts), nothing written, \(time)"
        case .synced:
            let written = writeElapsed.map { ", written in \(seconds($0))" } ?? ""
            return "synced \(database): \(counts)\(written), no reload needed, \(time)"
        }
    }
}
