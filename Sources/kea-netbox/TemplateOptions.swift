import ArgumentParser
import Kea
import KeaNetbox

/// `--set name=value`, shared by the subcommands that render.
struct TemplateOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "A template variable (a string), e.g. --set interface=eth1; repeatable.", valueName: "NAME=VALUE"))
    var assignments: [String] = []

    @Option(help: ArgumentHelp(
        "The Kea version templates see as kea.version (default: what kea-dhcp4 -V says; none installed: kea is null).",
        valueName: "X.Y.Z"))
    var keaVersion: String?

    func validate() throws {
        _ = try variables
        if let keaVersion, KeaVersion(versionOutput: keaVersion) == nil {
            throw ValidationError("--kea-version \(keaVersion): expected a version like 2.6.3")
        }
    }

    /// The Kea the configuration is for: `--kea-version`, else the installed one.
    var kea: KeaVersion? {
        explicitKea ?? KeaVersion.installed()
    }

    /// `--kea-version` alone: install and watch ask the installed Kea only when they render (`kea-dhcp4 -V` costs
    /// more than the rest of an unchanged install).
    var explicitKea: KeaVersion? {
        keaVersion.flatMap { KeaVersion(versionOutput: $0) }
    }

    var variables: TemplateVariables {
        get throws {
            do { return try TemplateVariables(assignments: assignments) } catch { throw ValidationError(error.description) }
        }
    }
}
