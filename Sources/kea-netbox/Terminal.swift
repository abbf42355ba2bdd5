import ArgumentParser
import Foundation
import KeaNetbox

/// Standard error output and the mapping from pipeline failures to exit codes.
enum Terminal {
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func warn(_ text: String) {
        printError("warning: \(text)")
    }

    /// Runs a pipeline step; a failure is printed and becomes the process's exit code.
    static func run<T>(_ body: () throws(PipelineError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            printError(error.message)
            throw ExitCode(error.exitCode)
        }
    }
}
