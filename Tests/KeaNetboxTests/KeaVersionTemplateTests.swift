import Foundation
import KeaTestSupport
import Testing

/// Templates see the Kea they render for as `kea` (from `kea-dhcpN -V`, or `--kea-version`), so one template can
/// use Kea 3's `control-sockets` list where it exists and the singular `control-socket` on 2.x.
@Suite struct KeaVersionTemplateTests {
    static let template = """
        {% if kea.major >= 3 %}"control-sockets": [ { "socket-type": "unix", "socket-name": "/run/kea/kea4-ctrl-socket" } ]{% else %}"control-socket": { "socket-type": "unix", "socket-name": "/run/kea/kea4-ctrl-socket" }{% endif %} // {{ kea.version }}

        """

    func render(_ extra: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let folder = try TemporaryFolder()
        let template = try folder.write("t.tmpl", Self.template)
        let snapshot = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path
        return try CommandRunner.keaNetbox(["render", template.path, "--data", snapshot] + extra, environment: environment)
    }

    @Test(arguments: KeaUnderTest.all)
    func theInstalledKeaIsWhatTemplatesSee(kea: KeaUnderTest) throws {
        guard Prerequisites.usable(kea) else { return }
        let version = kea.version
        let major = try #require(Int(version.prefix { $0 != "." }), "kea-dhcp4 -V said \(version)")

        let result = try render([], environment: kea.environment(folder: NSTemporaryDirectory()))

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("// \(version)\n"), "\(result.stdout)")
        #expect(result.stdout.hasPrefix(major >= 3 ? "\"control-sockets\": [" : "\"control-socket\": {"), "\(result.stdout)")
    }

    @Test func keaVersionChoosesForAnotherHost() throws {
        let result = try render(["--kea-version", "3.0.4"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\"control-sockets\": [ { \"socket-type\": \"unix\", \"socket-name\": \"/run/kea/kea4-ctrl-socket\" } ] // 3.0.4\n")
    }

    @Test func aKeaVersionThatIsNoVersionIsAUsageError() throws {
        let result = try render(["--kea-version", "three"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--kea-version three: expected a version like 2.6.3"), "\(result.stderr)")
    }

    @Test func keaIsReservedForKeaNetbox() throws {
        let result = try render(["--set", "kea=1"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("'kea' is reserved"), "\(result.stderr)")
    }
}
