import ArgumentParser
import Kea

/// How a rendered config is checked, installed and reloaded: shared by `install` and `watch`.
struct InstallerOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Validate the staged file with this command ({} is the file), 'kea' for kea-dhcp4/kea-dhcp6 -t (default) "
            + "or 'none'.", valueName: "CMD|none"))
    var check: String = "kea"

    @Option(help: ArgumentHelp(
        "How to make Kea reload: socket (the config's control socket, default), socket:PATH, signal:PIDFILE, "
            + "command:CMD, http://HOST:PORT (kea-ctrl-agent) or none.", valueName: "SPEC|none"))
    var reload: String = "socket"

    @Option(help: "Folder for the previous configurations (default: .kea-netbox-backups beside --output).")
    var backupDir: String?

    @Option(help: "How many previous configurations to keep.")
    var keepBackups: Int = 5

    @Option(help: "Refuse to install when more than this fraction of the installed reservations would disappear.")
    var maxRemovedFraction: Double = 0.5

    @Flag(help: "Install even when the removal guard refuses (e.g. after a planned clean-up in NetBox).")
    var force = false

    @Option(help: "Seconds to wait for another install holding the lock.")
    var lockTimeout: Int = 60

    @Option(help: ArgumentHelp(
        "Seconds the check command may take before it is stopped and the install fails (kea-dhcp4 -t takes about "
            + "2.6 s per 100,000 reservations on a quiet machine, minutes at 1,000,000 on a busy one).",
        valueName: "seconds"))
    var checkTimeout: Int = 300

    func validate() throws {
        if !(0...1).contains(maxRemovedFraction) {
            throw ValidationError("--max-removed-fraction must be between 0 and 1")
        }
        if keepBackups < 1 { throw ValidationError("--keep-backups must be at least 1") }
        if lockTimeout < 0 { throw ValidationError("--lock-timeout must not be negative") }
        if checkTimeout < 1 { throw ValidationError("--check-timeout must be at least 1 second") }
        do { _ = try ReloadSpec(argument: reload) } catch { throw ValidationError(error.message) }
    }

    /// The installer's options for one output file.
    func options(output: String) throws -> Installer.Options {
        var options = Installer.Options(output: output)
        options.check = CheckCommand(argument: check)
        options.reload = try ReloadSpec(argument: reload)
        options.backupDirectory = backupDir
        options.keepBackups = keepBackups
        options.maxRemovedFraction = maxRemovedFraction
        options.force = force
        options.checkTimeout = .seconds(checkTimeout)
        return options
    }
}
