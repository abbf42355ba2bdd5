import ArgumentParser
import KeaNetbox

/// `--set name=value`, shared by the subcommands that render.
struct TemplateOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "A template variable (a string), e.g. --set interface=eth1; repeatable.", valueName: "NAME=VALUE"))
    var assignments: [String] = []

    func validate() throws {
        _ = try variables
    }

    var variables: TemplateVariables {
        get throws {
            do { return try TemplateVariables(assignments: assignments) } catch { throw ValidationError(error.description) }
        }
    }
}
