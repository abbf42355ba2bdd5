import Foundation

/// The dry run's unified diff between the installed file and the staged one, made by `diff -u`
/// (diffutils is essential on Debian) so the output is exactly what operators know.
enum UnifiedDiff {
    static func make(installed: String?, staged: String, destination: String) -> String {
        let diff = ProcessRunner.findExecutable("diff") ?? "/usr/bin/diff"
        let arguments = ["-u", "--label", installed == nil ? "/dev/null" : destination,
                         "--label", destination + " (new)", installed ?? "/dev/null", staged]
        guard let outcome = try? ProcessRunner.run(diff, arguments, timeout: .seconds(120)) else {
            return "(cannot run \(diff) to show the differences)\n"
        }
        // diff: 0 identical, 1 different, 2 trouble.
        if outcome.status == 2 { return "(diff failed: \(outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines)))\n" }
        return outcome.standardOutput
    }
}
