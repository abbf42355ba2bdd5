import Foundation
import Testing

/// What the check and reload commands that kea-netbox starts can see, and what its messages can show: never the
/// NetBox password or token, and never an output path turned into shell code.
@Suite struct ChildEnvironmentTests {
    static let secrets = ["PGPASSWORD": "pg-Secret-1", "NETBOX_TOKEN": "nb-Token-2",
                          "BACKUP_DATABASE_URL": "postgresql://reader:uri-Secret-3@db.example/netbox",
                          "KEA_NETBOX_HARMLESS": "visible"]

    /// Run in the output's folder, where a relative path in a command would land.
    func install(_ output: URL, check: String, reload: String = "none", environment: [String: String] = [:]) throws -> CommandResult {
        let root = CommandRunner.repositoryRoot
        return try CommandRunner.keaNetbox(["install", root.appendingPathComponent("templates/kea-dhcp4.conf.tmpl").path,
                                            "--data", root.appendingPathComponent("examples/demo-snapshot.json").path,
                                            "--output", output.path, "--check", check, "--reload", reload],
                                           environment: environment, in: output.deletingLastPathComponent())
    }

    @Test func checkAndReloadCommandsSeeNoSecretInTheirEnvironmentOrArguments() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("kea-dhcp4.conf")
        let dump = "env > '%@.env'; tr '\\0' ' ' < /proc/$$/cmdline > '%@.args'"
        let check = folder.url.appendingPathComponent("check").path
        let reload = folder.url.appendingPathComponent("reload").path

        let result = try install(output, check: String(format: dump, check, check) + "; true",
                                 reload: "command:" + String(format: dump, reload, reload), environment: Self.secrets)

        #expect(result.status == 0, "\(result.stderr)")
        for child in [check, reload] {
            let environment = try String(contentsOfFile: child + ".env", encoding: .utf8)
            let arguments = try String(contentsOfFile: child + ".args", encoding: .utf8)
            #expect(environment.contains("KEA_NETBOX_HARMLESS=visible\n"), "\(environment)")
            #expect(environment.contains("PATH="))
            for secret in ["pg-Secret-1", "nb-Token-2", "uri-Secret-3"] {
                #expect(!environment.contains(secret), "\(child): \(environment)")
                #expect(!arguments.contains(secret), "\(child): \(arguments)")
            }
        }
        #expect(try String(contentsOfFile: check + ".env", encoding: .utf8).contains("KEA_NETBOX_FILE=\(folder.url.path)/.kea-dhcp4.conf.kea-netbox-"))
    }

    /// The example: `{}` inside the user's single quotes of a nested `sh -c`. The old textual substitution
    /// closed those quotes around the path; now the inner shell reads the path from the environment, whole.
    @Test func aPlaceholderInsideTheUsersQuotesStillGetsThePathWhole() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("it's here.conf")
        let copy = folder.url.appendingPathComponent("copy")

        let result = try install(output, check: "sh -c 'cp {} \"$0\"' '\(copy.path)'")

        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOf: copy, encoding: .utf8) == String(contentsOf: output, encoding: .utf8))
    }

    @Test func aPathThatAShellCouldRunIsRefusedForACustomCheck() throws {
        let folder = try TemporaryFolder()
        let unsafe = folder.url.appendingPathComponent("x$(touch ran)")
        let marker = unsafe.appendingPathComponent("ran")
        try FileManager.default.createDirectory(at: unsafe, withIntermediateDirectories: false)
        let output = unsafe.appendingPathComponent("kea-dhcp4.conf")

        let result = try install(output, check: "sh -c \"test -s {}\"")

        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot give the file to the check command safely: its path \(unsafe.path)/.kea-dhcp4.conf.kea-netbox-"), "\(result.stderr)")
        #expect(result.stderr.contains("holds '$', which a shell may run as code"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: unsafe.path) == ["kea-dhcp4.conf.lock"])
    }

    /// libpq quotes the token it cannot decode, here the password.
    @Test func aMalformedPercentEncodedPasswordIsNeverPrinted() throws {
        let result = try CommandRunner.keaNetbox(["render", "templates/kea-dhcp4.conf.tmpl", "--database",
                                                  "postgresql://reader:s3cr%zzet-Pa55@/netbox?host=/nonexistent"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("the connection string is malformed: invalid percent-encoded token"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr") && !result.stderr.contains("Pa55"), "\(result.stderr)")
    }
}
