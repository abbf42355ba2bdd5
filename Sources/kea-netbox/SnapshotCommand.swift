import ArgumentParser
import KeaNetbox

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Read NetBox once and write a snapshot (the data templates see) for offline renders, lint and tests."
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        let (snapshot, warnings) = try Terminal.run { () throws(PipelineError) in try dataOptions.source.load() }
        verbosity.report(DataWarningSummary(warnings, lookedUp: nil))
        try Terminal.run { () throws(PipelineError) in
            try OutputFile.write(snapshot, to: output)
        }
    }
}
