import ArgumentParser
import KeaNetbox

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a template to standard output or a file (written atomically, only when the render succeeds)."
    )

    @Argument(help: "The template to render.")
    var template: String

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var templateOptions: TemplateOptions

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        let variables = try templateOptions.variables
        let source = try Terminal.run { () throws(PipelineError) in try ConfigRenderer.loadTemplate(at: template) }
        let (snapshot, warnings) = try Terminal.run { () throws(PipelineError) in try dataOptions.source.load() }
        let rendered: RenderedConfig
        do {
            rendered = try ConfigRenderer(snapshot: snapshot, variables: variables, kea: templateOptions.kea).render(source)
        } catch {
            verbosity.report(DataWarningSummary(warnings, lookedUp: nil))
            Terminal.report(error.diagnostics)
            throw ExitCode(error.exitCode)
        }
        verbosity.report(DataWarningSummary(warnings, lookedUp: rendered.lookedUpSubnets))
        verbosity.warn(rendered.templateWarnings)
        try Terminal.run { () throws(PipelineError) in
            try OutputFile.write(rendered.text, to: output)
        }
    }
}
