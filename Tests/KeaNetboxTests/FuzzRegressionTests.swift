import Foundation
import Testing

/// Every input the fuzzers ever stopped on (Fuzz/TARGET/regressions) and every seed, replayed through the same
/// code as `scripts/fuzz` by the normally built `kea-netbox-fuzz`: a crash, a hang or a broken property fails here.
@Suite struct FuzzRegressionTests {
    static let targets = ["template", "snapshot", "kea"]

    static func inputs(_ target: String) throws -> [String] {
        let root = CommandRunner.repositoryRoot.appendingPathComponent("Fuzz/\(target)")
        return try ["regressions", "corpus"].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
                .sorted().map { root.appendingPathComponent(folder).appendingPathComponent($0).path }
        }
    }

    @Test(arguments: targets)
    func everyKeptInputRunsCleanly(target: String) throws {
        let replay = try CommandRunner.keaNetbox.deletingLastPathComponent().appendingPathComponent("kea-netbox-fuzz")
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 2, "Fuzz/\(target) lost its seeds")
        for input in inputs {
            // timeout: a hang is a failure too, the way libFuzzer's -timeout makes it one.
            let result = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/timeout"), ["60", replay.path, target, input])
            #expect(result.status == 0, "\(input): exit \(result.status)\n\(result.stderr.prefix(2000))")
        }
    }
}
