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

    func run() throws {
        let variables = try templateOptions.variables
        let (snapshot, warnings) = try Terminal.run { () throws(PipelineError) in try dataOptions.source.load() }
        Terminal.report(warnings)
        let rendered = try Terminal.run { () throws(PipelineError) -> RenderedConfig in
            try ConfigRenderer(snapshot: snapshot, variables: variables).render(templateAt: template)
        }
        Terminal.report(rendered.templateWarnings)
        try Terminal.run { () throws(PipelineError) in
            try OutputFile.write(rendered.text, to: output)
        }
    }
}
