import Foundation

/// How the staged file is validated before it replaces the installed one (DESIGN §6 step 8).
///
/// Kea 2.2 stops serving when a reload fails on a semantic error, so the default is never to let Kea read
/// a file its own `-t` has not accepted. When the default program is missing the install is refused
/// (exit 1) rather than skipped: skipping silently would remove the main protection. `--check none`
/// opts out explicitly.
public enum CheckCommand: Sendable, Equatable {
    /// `kea-dhcp4 -t FILE` or `kea-dhcp6 -t FILE`, by the config's top-level key; found in PATH or /usr/sbin.
    case kea
    /// A shell command that finds the file in `$KEA_NETBOX_FILE`; `{}` stands for `"$KEA_NETBOX_FILE"` (appended
    /// when absent).
    case custom(String)
    /// No check command (the semantic checks still run).
    case none

    /// Parses `--check`: `none`, `kea` (the default), or a command.
    public init(argument: String) {
        switch argument.trimmingBlanks() {
        case "none": self = .none
        case "kea", "default", "": self = .kea
        default: self = .custom(argument)
        }
    }

    /// Where a custom check command finds the staged file.
    public static let fileVariable = "KEA_NETBOX_FILE"
    /// Characters that end a word and start a command, a substitution or a redirection in a shell.
    static let shellActive: Set<Unicode.Scalar> = ["$", "`", ";", "&", "|", "<", ">", "(", ")", "\\"]

    /// The verdict of a check.
    public struct Verdict: Sendable {
        public let accepted: Bool
        /// What the checker said: Kea's one-line verdict is on stderr, so stderr comes first.
        public let message: String
        public let commandLine: String
    }

    /// Problems running the checker itself (not a verdict on the file).
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Checks rendered text without installing it (`lint --kea`): stages it in `folder` (under /etc/kea on
    /// hosts where AppArmor confines Kea), runs the check, removes the file. Messages name `displayName`.
    public func run(text: String, family: KeaFamily?, displayName: String, in folder: String = NSTemporaryDirectory(),
                    timeout: Duration = .seconds(300)) throws(Unavailable) -> Verdict {
        let anchor = (folder.hasSuffix("/") ? folder : folder + "/") + "kea-netbox-check.conf"
        let staged: String
        do {
            staged = try AtomicFile.writeTemporary(Array(text.utf8), beside: anchor,
                                                   ownership: .init(owner: nil, group: nil, mode: 0o600))
        } catch {
            throw Unavailable(description: "cannot stage the configuration for checking: \(error)")
        }
        defer { unlink(staged) }
        let verdict = try run(on: staged, family: family, timeout: timeout)
        return Verdict(accepted: verdict.accepted,
                       message: verdict.message.replacingOccurrences(of: staged, with: displayName),
                       commandLine: verdict.commandLine.replacingOccurrences(of: staged, with: displayName))
    }

    /// Runs the check on `path`. Throws `Unavailable` when the checker cannot be run at all.
    /// `environment` is the checker's (and where `kea-dhcpN` is looked up); the process's own by default.
    /// `started` is told the checker's pid (the leader of its own process group); `heartbeat` beats while it works.
    public func run(on path: String, family: KeaFamily?, timeout: Duration = .seconds(300),
                    environment: [String: String] = ProcessInfo.processInfo.environment, heartbeat: Heartbeat? = nil,
                    started: (pid_t) -> Void = { _ in }) throws(Unavailable) -> Verdict {
        let executable: String
        let arguments: [String]
        let commandLine: String
        var fileEnvironment: [String: String] = [:]
        switch self {
        case .none:
            return Verdict(accepted: true, message: "", commandLine: "none")
        case .kea:
            guard let family else {
                throw Unavailable(description: "cannot choose kea-dhcp4 or kea-dhcp6: the configuration has no top-level \"Dhcp4\" or \"Dhcp6\" key")
            }
            guard let program = ProcessRunner.findExecutable(family.serverProgram, environment: environment) else {
                throw Unavailable(description: "\(family.serverProgram) not found in PATH or /usr/sbin: install Kea's \(family.serverProgram) (Debian: kea-\(family.serviceName)-server) to validate, or pass --check none to skip validation")
            }
            executable = program
            arguments = ["-t", path]
            commandLine = "\(program) -t \(path)"
        case .custom(let template):
            // The path never becomes part of the command text, so no quoting around `{}` (`sh -c '… {}'` included)
            // can make it shell code: the shell reads it from the environment. Only a command that pastes the
            // variable into a string a second shell parses (`sh -c "… {}"`) would re-read it as code, hence the
            // refusal of paths holding characters that can start a command there.
            if let character = path.unicodeScalars.first(where: { Self.shellActive.contains($0) || $0.value < 0x20 }) {
                throw Unavailable(description: "cannot give the file to the check command safely: its path \(path) holds \(character.value < 0x20 ? "a control character" : "'\(character)'"), which a shell may run as code; use an output path without \(Self.shellActive.map(String.init).joined(separator: " "))")
            }
            let reference = "\"$" + Self.fileVariable + "\""
            let command = template.contains("{}") ? template.replacingOccurrences(of: "{}", with: reference) : template + " " + reference
            executable = "/bin/sh"
            arguments = ["-c", command]
            fileEnvironment = [Self.fileVariable: path]
            let quoted = ProcessRunner.shellQuoted(path)
            commandLine = template.contains("{}") ? template.replacingOccurrences(of: "{}", with: quoted) : template + " " + quoted
        }
        let outcome: ProcessRunner.Outcome
        do {
            outcome = try ProcessRunner.run(executable, arguments,
                                            environment: environment.merging(fileEnvironment) { $1 },
                                            timeout: timeout, heartbeat: heartbeat, started: started)
        } catch {
            throw Unavailable(description: "cannot run the check command \(commandLine): \(error.localizedDescription)")
        }
        if outcome.timedOut {
            throw Unavailable(description: "the check command \(commandLine) did not finish within \(timeout)")
        }
        let errorText = outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        let outputText = outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        var message = errorText
        if outcome.status != 0 {
            // Kea puts log lines (with ERROR ones explaining the verdict) on stdout; keep the error lines.
            let errorLines = outputText.split(separator: "\n").filter { $0.contains("ERROR") || $0.contains("FATAL") }
            if message.isEmpty { message = errorLines.isEmpty ? outputText : errorLines.joined(separator: "\n") }
            if message.isEmpty { message = "exit status \(outcome.status)" }
        }
        return Verdict(accepted: outcome.status == 0, message: message, commandLine: commandLine)
    }
}
