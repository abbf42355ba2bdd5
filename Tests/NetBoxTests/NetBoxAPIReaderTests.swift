import Foundation
import Testing
@testable import NetBox

/// The parts of the API reader that need no server; the reader itself is tested against a real NetBox in
/// KeaNetboxTests/NetBoxAPITests.
@Suite("NetBox API reader: versions and tokens")
struct NetBoxAPIReaderTests {
    @Test("the status version decides MAC objects, scopes and the change log path", arguments: [
        ("4.7.3", true, "api/core/object-changes/"), ("4.2.0-beta1", true, "api/core/object-changes/"),
        ("v4.1.2-Docker-3.0.1", false, "api/core/object-changes/"), ("4.0.11", false, "api/extras/object-changes/"),
    ])
    func versions(text: String, macObjects: Bool, changeLog: String) throws {
        let version = try #require(NetBoxAPIVersion(text))
        #expect(version.hasMACObjects == macObjects)
        #expect(version.hasScopes == macObjects)
        #expect(version.schemaLabel == (macObjects ? "4.2+" : "3.6-4.1"))
        #expect(version.changeLogPath == changeLog)
    }

    @Test("a version string without major.minor is not a version")
    func badVersion() {
        #expect(NetBoxAPIVersion("devel") == nil)
        #expect(NetBoxAPIVersion("4") == nil)
    }

    @Test("the token file is read without its newline; the file wins over NETBOX_TOKEN")
    func tokenFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try Data("nbt_abc.def\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try NetBoxAPIToken.load(file: file.path, environment: ["NETBOX_TOKEN": "other"]) == "nbt_abc.def")
        #expect(try NetBoxAPIToken.load(file: nil, environment: ["NETBOX_TOKEN": " secret\n"]) == "secret")
    }

    @Test("no token, an empty one or one with blanks is a permission error that does not echo it")
    func badTokens() {
        for environment in [[:], ["NETBOX_TOKEN": ""], ["NETBOX_TOKEN": "two words"]] {
            #expect {
                try NetBoxAPIToken.load(file: nil, environment: environment)
            } throws: { error in
                guard let error = error as? DataSourceError else { return false }
                return error.reason == .permission && error.message.contains("NETBOX_TOKEN")
                    && !error.message.contains("two words")
            }
        }
        #expect(throws: DataSourceError.self) {
            try NetBoxAPIToken.load(file: "/nonexistent/token", environment: [:])
        }
    }

    @Test("the reader's description and mirror leave the token and the URL's password out")
    func noSecretsInDescription() throws {
        let reader = NetBoxAPIReader(url: try #require(URL(string: "https://user:hunter2@netbox.example.com")),
                                     token: "nbt_key.s3cret")
        let texts = [String(describing: reader), String(reflecting: reader), "\(Mirror(reflecting: reader).children.map(\.value))"]
        for text in texts {
            #expect(!text.contains("s3cret"))
            #expect(!text.contains("hunter2"))
        }
    }

    @Test("custom fields the API decorates go back to their stored form; a JSON field that looks alike is left alone")
    func customFieldsAsStored() throws {
        let fields = NetBoxAPICustomFields(definitions: [
            ["name": .string("owner"), "type": .object(["value": .string("object"), "label": .string("Object")])],
            ["name": .string("owners"), "type": .object(["value": .string("multiobject")])],
            ["name": .string("class"), "type": .object(["value": .string("select")])],
            ["name": .string("classes"), "type": .object(["value": .string("multiselect")])],
            ["name": .string("seen"), "type": .object(["value": .string("datetime")])],
            ["name": .string("extra"), "type": .object(["value": .string("json")])],
        ])
        let api: JSONValue = .object([
            "owner": .object(["id": .integer(3), "url": .string("http://x/api/tenancy/tenants/3/"), "slug": .string("acme")]),
            "owners": .array([.object(["id": .integer(3)]), .object(["id": .integer(4)])]),
            "class": .object(["value": .string("pxe"), "label": .string("PXE boot")]),
            "classes": .array([.object(["value": .string("uefi"), "label": .string("UEFI")])]),
            "seen": .string("2026-11-30T08:15:00Z"),
            "extra": .object(["id": .integer(7), "value": .string("kept")]),
            "unset": .null,
        ])
        let stored = try #require(fields.storedText(api))
        #expect(stored == #"{"class":"pxe","classes":["uefi"],"extra":{"id":7,"value":"kept"},"owner":3,"owners":[3,4],"seen":"2026-11-30T08:15:00+00:00","unset":null}"#)
        // Older NetBox gives a selection as its bare value.
        #expect(fields.storedText(.object(["class": .string("pxe")])) == #"{"class":"pxe"}"#)
        #expect(fields.storedText(nil) == nil)
    }

    @Test("last_updated becomes microseconds since 1970 for the change mark")
    func lastUpdated() {
        #expect(NetBoxAPIChangeProbe.microseconds("2026-12-01T12:23:24.166Z") == 1_796_127_804_166_000)
        #expect(NetBoxAPIChangeProbe.microseconds("2026-12-01T12:23:24Z") == 1_796_127_804_000_000)
        #expect(NetBoxAPIChangeProbe.microseconds("yesterday") == nil)
    }
}
