import ArgumentParser
import KeaNetbox

/// The executable: argument parsing, printing and exit codes only; the work is done in KeaNetbox.
@main
struct KeaNetboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kea-netbox",
        abstract: "Render, check and install ISC Kea DHCP configurations from templates filled with NetBox data.",
        discussion: """
            Exit codes: 0 success; 1 other failure; 2 template error; 3 data source error (database \
            unreachable, bad snapshot); 4 rendered config rejected; 5 reload failed (previous config restored); \
            64 usage error. lint: 0 clean, 1 findings.
            """,
        version: BuildInfo.versionLine,
        subcommands: [RenderCommand.self, InstallCommand.self, LintCommand.self, SnapshotCommand.self, InitCommand.self,
                      HostsCommand.self, WatchCommand.self]
    )
}
