import ArgumentParser
import Diagnostics
import Foundation
import KeaNetbox

/// Standard error output and the mapping from pipeline failures to exit codes. Every message goes through the one
/// diagnostic printer (`DiagnosticFormat`).
enum Terminal {
    static func report(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        FileHandle.standardError.write(Data((DiagnosticFormat.text.render(diagnostics) + "\n").utf8))
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
