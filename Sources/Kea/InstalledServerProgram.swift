import Foundation

/// The installed `kea-dhcp4` (or `kea-dhcp6`), found as the check command finds it (PATH, then the sbin folders of
/// the environment), asked one question by a flag (`-V`, `-W`) that prints and exits.
enum InstalledServerProgram {
    /// What `read` makes of the first server's answer that it can read; nil when no server is installed or none of
    /// their answers reads.
    static func ask<Answer>(_ flag: String, family: KeaFamily?, environment: [String: String],
                            _ read: (String) -> Answer?) -> Answer? {
        for program in paths(family: family, environment: environment) {
            guard let outcome = try? ProcessRunner.run(program, [flag], environment: environment, timeout: .seconds(20)),
                  outcome.status == 0, let answer = read(outcome.standardOutput) else { continue }
            return answer
        }
        return nil
    }

    /// The programs `ask` asks, in its order.
    static func paths(family: KeaFamily?, environment: [String: String]) -> [String] {
        let names = family.map { [$0.serverProgram] } ?? [KeaFamily.v4.serverProgram, KeaFamily.v6.serverProgram]
        return names.compactMap { ProcessRunner.findExecutable($0, environment: environment) }
    }
}
