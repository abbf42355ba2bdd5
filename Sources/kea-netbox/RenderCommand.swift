import ArgumentParser
import Foundation
import Kea
import KeaNetbox
import NetBox
import Synchronization

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
        // The installed Kea is asked for its version (`kea-dhcp4 -V`: a C++ program loading its libraries, 30-40 ms)
        // while NetBox is read, on the other core: asked afterwards it was a seventh of a render from the database
        // at 10,000 hosts.
        let loaded = Mutex<Result<(snapshot: Snapshot, warnings: [DataWarning]), PipelineError>?>(nil)
        let installedKea = Mutex<KeaVersion?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                let result = Result { () throws(PipelineError) in try dataOptions.source.load() }
                loaded.withLock { $0 = result }
            } else {
                // A template that never reads `kea` renders the same for any Kea: the installed one is not asked.
                let kea = ConfigRenderer.readsKea(source) ? templateOptions.kea : templateOptions.explicitKea
                installedKea.withLock { $0 = kea }
            }
        }
        let (snapshot, warnings) = try Terminal.run { () throws(PipelineError) in
            guard let result = loaded.withLock({ $0 }) else { throw .dataSource("NetBox was not read") }
            return try result.get()
        }
        let rendered: RenderedConfig
        do {
            rendered = try ConfigRenderer(snapshot: snapshot, variables: variables, kea: installedKea.withLock { $0 })
                .render(source, expectedSize: OutputFile.existingSize(output))
        } catch {
            verbosity.report(DataWarningSummary(warnings, lookedUp: nil))
            Terminal.report(error.diagnostics)
            throw ExitCode(error.exitCode)
        }
        verbosity.report(DataWarningSummary(warnings, lookedUp: rendered.lookedUpSubnets))
        verbosity.warn(rendered.templateWarnings)
        try Terminal.run { () throws(PipelineError) in
            try OutputFile.write(bytes: rendered.bytes, to: output)
        }
        ProcessEnd.succeed(leaving: snapshot, rendered)
    }
}
