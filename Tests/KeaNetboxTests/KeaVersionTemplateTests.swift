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

    /// `kea-dhcp4 -V` costs 30-40 ms of CPU: render asks the installed Kea only for a template that reads `kea`
    /// (here or in a template it includes, in any branch). The installed program is wrapped by a script that notes
    /// each call in a file and then runs it.
    @Test func theInstalledKeaIsAskedOnlyWhenTheTemplateReadsKea() throws {
        guard let real = Prerequisites.available("kea-dhcp4")?.path else { return }
        let folder = try TemporaryFolder()
        let bin = folder.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let calls = folder.url.appendingPathComponent("calls").path
        let wrapper = try folder.write("bin/kea-dhcp4", "#!/bin/sh\necho \"$*\" >> '\(calls)'\nexec '\(real)' \"$@\"\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let snapshot = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path
        func askedAfterRendering(_ text: String, named name: String) throws -> Bool {
            try? FileManager.default.removeItem(atPath: calls)
            let template = try folder.write(name, text)
            let result = try CommandRunner.keaNetbox(["render", template.path, "--data", snapshot], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            return FileManager.default.fileExists(atPath: calls)
        }
        _ = try folder.write("included.tmpl", "{{ kea.version }}")

        #expect(try !askedAfterRendering("{{ netbox.schema }}", named: "plain.tmpl"))
        #expect(try askedAfterRendering(Self.template, named: "reads.tmpl"))
        #expect(try askedAfterRendering("{% if false %}{% include \"included.tmpl\" %}{% endif %}", named: "includes.tmpl"))
        #expect(try askedAfterRendering("{{ kea.major | default(2) }}", named: "default.tmpl"))
        #expect(try String(contentsOfFile: calls, encoding: .utf8) == "-V\n")
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
