import ArgumentParser
import Foundation
import KeaNetbox

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a template: from a working Kea configuration (--from), or the shipped starting point.",
        discussion: """
            With --from, the configuration is kept as written (comments, layout, includes; tag-looking text made \
            literal) and every subnet gets a lookup of its NetBox reservations, and, without an "id", the NetBox \
            prefix's id with a fallback. With --data or --database, init also reports the hand-written \
            reservations NetBox has too and the subnets NetBox lacks.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The Kea configuration to turn into a template.", valueName: "CONFIG"))
    var from: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the template here (a new file) instead of standard output.",
                                                    valueName: "TEMPLATE"))
    var output: String?

    @OptionGroup var dataOptions: DataOptions

    @Flag(name: .long, help: "Leave out the reservations written in the configuration: NetBox gives them all.")
    var dropStatic = false

    @Flag(name: .long, help: ArgumentHelp(
        "A subnet without an \"id\" gets the NetBox prefix's id when rendered (its number by position when NetBox "
            + "lacks the prefix). The default writes the number Kea 2.2 gives it by position, which keys its leases now."))
    var netboxIds = false

    @Option(name: .long, help: "Without --from: the starting point for DHCPv4 (4) or DHCPv6 (6).")
    var family: Int = 4

    func validate() throws {
        guard family == 4 || family == 6 else { throw ValidationError("--family is 4 or 6") }
        if from == nil, dropStatic || netboxIds { throw ValidationError("--drop-static and --netbox-ids need --from") }
        if let output, output != "-", FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) exists: init writes a new template and never replaces one")
        }
    }

    func run() throws {
        guard let from else {
            try Terminal.run { () throws(PipelineError) in
                try OutputFile.write(TemplateInit.startingPoint(family: family == 6 ? .v6 : .v4), to: output)
            }
            return
        }
        // NetBox is read only when a source is named: init's own work needs no data.
        let loaded = dataOptions.data != nil || dataOptions.database != nil
            ? try Terminal.run { () throws(PipelineError) in try dataOptions.source.load() } : nil
        Terminal.report((loaded?.warnings ?? []).map(\.diagnostic))
        let snapshot = loaded?.snapshot
        let result = try Terminal.run { () throws(PipelineError) in
            try TemplateInit.template(fromConfigAt: from, dropStatic: dropStatic,
                                      subnetIDs: netboxIds ? .netBox : .position, snapshot: snapshot)
        }
        try Terminal.run { () throws(PipelineError) in try OutputFile.write(result.template, to: output) }
        Terminal.report(result.notes)
    }
}
