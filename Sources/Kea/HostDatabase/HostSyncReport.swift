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
    public let elapsed: Duration

    /// e.g. `synced Kea host database (schema 13.0): +3 -1 ~2 hosts (1200 in total: 1000 DHCPv4, 200 DHCPv6), 0.41 s`
    public var summaryLine: String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let time = String(format: "%.2f s", seconds)
        let total = "\(hosts4 + hosts6) in total: \(hosts4) DHCPv4, \(hosts6) DHCPv6"
        let counts = "+\(added) -\(removed) ~\(changed) hosts (\(total))"
        let database = "Kea host database (schema \(schemaVersion))"
        switch action {
        case .unchanged: return "\(database) is up to date: \(total), nothing written, \(time)"
        case .dryRun: return "dry run \(database): would change \(counts), nothing written, \(time)"
        case .synced: return "synced \(database): \(counts), no reload needed, \(time)"
        }
    }
}
