import ArgumentParser
import Diagnostics
import Foundation
import KeaNetbox

/// Standard error output and the mapping from pipeline failures to exit codes. Every message goes through the one
/// diagnostic printer (`DiagnosticFormat`).
enum Terminal {
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func report(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        printError(DiagnosticFormat.text.render(diagnostics))
    }

    static func warn(_ diagnostic: Diagnostic) {
        report([diagnostic])
    }

    /// Runs a pipeline step; a failure is printed and becomes the process's exit code.
    static func run<T>(_ body: () throws(PipelineError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            report(error.diagnostics)
            throw ExitCode(error.exitCode)
        }
    }
}
