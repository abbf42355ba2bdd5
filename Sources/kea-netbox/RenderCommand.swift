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

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let rendered = try Terminal.run { () throws(PipelineError) -> RenderedConfig in
            let (snapshot, warnings) = try dataOptions.source.load()
            return try ConfigRenderer(snapshot: snapshot, dataWarnings: warnings).render(templateAt: template)
        }
        rendered.dataWarnings.forEach(Terminal.warn)
        rendered.templateWarnings.forEach { Terminal.printError($0.formatted()) }
        try Terminal.run { () throws(PipelineError) in
            try OutputFile.write(rendered.text, to: output)
        }
    }
}
