import ArgumentParser
import Diagnostics
import KeaNetbox

/// `-q` / `-v`, shared by the subcommands that read NetBox. Errors are printed whatever these say.
struct VerbosityOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print no warnings (NetBox data, template, configuration); errors and the summary line stay.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "List every NetBox data warning instead of one line per kind.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("-q and -v are exclusive") }
    }

    func report(_ summary: DataWarningSummary) {
        guard !quiet else { return }
        Terminal.report(verbose ? summary.allDiagnostics : summary.summaryDiagnostics())
    }

    /// Template and configuration warnings: already one per finding, printed unless `-q`.
    func warn(_ diagnostics: [Diagnostic]) {
        guard !quiet else { return }
        Terminal.report(diagnostics)
    }
}
