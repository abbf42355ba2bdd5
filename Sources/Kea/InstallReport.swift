import Foundation

/// What an install did, for the one-line summary and for callers that want the numbers.
public struct InstallReport: Sendable {
    public enum Action: String, Sendable {
        /// The new file replaced the old one (or was created).
        case installed
        /// The installed file already had exactly these bytes: nothing written, nothing reloaded.
        case unchanged
        /// `--dry-run`: checked, diffed, nothing installed.
        case dryRun
        /// The change probe: nothing the installed file was made from changed since the server loaded it; nothing
        /// read, rendered or reloaded (the counts are the installed file's, from the state).
        case inputsUnchanged
    }

    public let action: Action
    public let output: String
    public let added: Int
    public let removed: Int
    public let changed: Int
    /// Reservations and subnets in the new configuration.
    public let reservations: Int
    public let subnets: Int
    /// The unified diff (dry run only).
    public let diff: String?
    /// nil when no reload was attempted (unchanged, dry run).
    public let reloadOutcome: ReloadOutcome?
    public let reloadMethod: String?
    /// Where the previous file was saved.
    public let backupPath: String?
    /// Semantic-check and reader warnings (subnets without id, trailing commas) and installer notes.
    public let warnings: [ConfigFinding]
    public let notes: [String]
    /// Why the installed file is not confirmed loaded (the server was not reached); nil when it is, or when there is
    /// nothing to confirm (`--reload none`). The next run reloads it before anything else.
    public let notLoaded: String?
    public let elapsed: Duration

    public var unchanged: Bool { action == .unchanged || action == .inputsUnchanged }

    /// The report of a run that the change probe ended before reading NetBox.
    public static func inputsUnchanged(output: String, state: InstallState, elapsed: Duration) -> InstallReport {
        InstallReport(action: .inputsUnchanged, output: output, added: 0, removed: 0, changed: 0,
                      reservations: state.reservations ?? 0, subnets: state.subnets ?? 0, diff: nil, reloadOutcome: nil, reloadMethod: nil, backupPath: nil, warnings: [],
                      notes: [], notLoaded: nil, elapsed: elapsed)
    }

    /// e.g. `installed /etc/kea/kea-dhcp4.conf: +3 -1 ~2 reservations, 4 subnets, reloaded via control socket /run/kea/kea4-ctrl-socket, 0.41 s`
    public var summaryLine: String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let time = String(format: "%.2f s", seconds)
        let counts = "+\(added) -\(removed) ~\(changed) reservations (\(reservations) in total), \(subnets) subnet\(subnets == 1 ? "" : "s")"
        switch action {
        case .unchanged:
            if let notLoaded {
                return "\(output) is up to date: \(reservations) reservations, \(subnets) subnet\(subnets == 1 ? "" : "s"), nothing written, but NOT confirmed loaded: server not running (\(notLoaded)), \(time)"
            }
            return "\(output) is up to date: \(reservations) reservations, \(subnets) subnet\(subnets == 1 ? "" : "s"), nothing written, not reloaded, \(time)"
        case .inputsUnchanged:
            return "\(output) is up to date: \(reservations) reservations, \(subnets) subnet\(subnets == 1 ? "" : "s"), nothing changed in NetBox, the template or the arguments since it was installed and loaded; not read, not rendered, not reloaded, \(time)"
        case .dryRun:
            return "dry run \(output): would change \(counts), accepted, would reload via \(reloadMethod ?? "?"), nothing installed, \(time)"
        case .installed:
            let reload: String
            switch reloadOutcome {
            case .reloaded?: reload = "reloaded via \(reloadMethod ?? "?")"
            case .notRunning(let reason)?: reload = "not reloaded: server not running (\(reason))"
            case .skipped?, nil: reload = "not reloaded (--reload none)"
            }
            return "installed \(output): \(counts), \(reload), \(time)"
        }
    }
}
