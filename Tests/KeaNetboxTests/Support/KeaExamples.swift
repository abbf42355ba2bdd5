import Foundation
import Testing
@testable import Kea

/// Kea's own example configurations (Debian's kea-doc: /usr/share/doc/kea/examples/), the corpus that the dialect
/// reader and `init` are checked against, and the Kea program that reads each of them.
enum KeaExamples {
    static let folder = URL(fileURLWithPath: "/usr/share/doc/kea/examples")

    /// Which Kea program reads a file, or why none does.
    enum Reader: Equatable {
        case program(String)
        /// Not a Kea JSON configuration, or no Debian 12 package reads it.
        case none(why: String)
    }

    /// Every file of the corpus, relative to `folder`, sorted; empty (a failure under KEA_NETBOX_REQUIRE_ALL=1)
    /// without kea-doc.
    static func files() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else {
            missing()
            return []
        }
        let files = walker.compactMap { $0 as? String }.filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
        if files.isEmpty { missing() }
        return files
    }

    private static func missing() {
        if Prerequisites.requireAll {
            Issue.record("kea-doc is not installed but KEA_NETBOX_REQUIRE_ALL=1 (scripts/install-kea-examples)")
        } else {
            print("note: skipping: kea-doc is not installed (scripts/install-kea-examples)")
        }
    }

    static func reader(of path: String) -> Reader {
        let name = (path as NSString).lastPathComponent
        let top = path.split(separator: "/").first.map(String.init) ?? ""
        switch top {
        case "kea4": return .program("kea-dhcp4")
        case "kea6": return .program("kea-dhcp6")
        case "agent": return .program("kea-ctrl-agent")
        case "ddns": return .program("kea-dhcp-ddns")
        case "template-power-user-home" where name.hasPrefix("kea-dhcp4"): return .program("kea-dhcp4")
        case "template-power-user-home" where name.hasPrefix("kea-ca"): return .program("kea-ctrl-agent")
        case "netconf" where name.hasSuffix(".json"): return .none(why: "kea-netconf's configuration; Debian 12 has no kea-netconf package")
        default: return .none(why: "not a Kea JSON configuration (\((name as NSString).pathExtension) file)")
        }
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
    }
}

/// A configuration made checkable on any machine, changing only what depends on the machine (the brief's
/// "interfaces emptied, hook paths and lease/log paths pointed at a test folder"): interface lists emptied and
/// subnet interfaces named `lo`; every hook library replaced by a library of the same name in `folder` (a link to
/// the host's own hook, or to its lease_cmds hook when the host lacks it: `-t` loads a hook library and checks its
/// version, it does not run it); lease files, log files and sockets under `folder`. Edits are made in the text, so
/// numbers, comments and layout stay exactly as written.
struct PortableKeaConfig {
    static let hooksFolder = "/usr/lib/x86_64-linux-gnu/kea/hooks"

    let folder: URL

    func text(of original: String) throws -> String {
        let document = try ConfigDocument.parse(original, file: "example", includes: .reject)
        let bytes = Array(original.utf8)
        let scanner = ConfigTextScanner(bytes: bytes)
        var edits: [(range: Range<Int>, text: String)] = []
        func replace(_ value: ConfigValue, with text: String) {
            edits.append((value.offset..<scanner.end(ofValueAt: value.offset), text))
        }
        func walk(_ value: ConfigValue, key: String?) throws {
            switch value.kind {
            case .object(let members):
                for member in members {
                    switch (member.key, member.value.kind) {
                    case ("interfaces", .array):
                        replace(member.value, with: "[]")
                    case ("interface", .string):
                        replace(member.value, with: "\"lo\"")
                    case ("library", .string(let path)):
                        replace(member.value, with: quoted(try hook(named: (path as NSString).lastPathComponent)))
                    case ("name", .string(let path)) where path.hasPrefix("/"),
                         ("output", .string(let path)) where path.hasPrefix("/"),
                         ("socket-name", .string(let path)),
                         ("trust-anchor", .string(let path)), ("cert-file", .string(let path)), ("key-file", .string(let path)):
                        replace(member.value, with: quoted(folder.appendingPathComponent((path as NSString).lastPathComponent).path))
                    default:
                        try walk(member.value, key: member.key)
                    }
                }
            case .array(let items):
                for item in items { try walk(item, key: key) }
            default:
                break
            }
        }
        try walk(document.root, key: nil)
        var out = bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            out.replaceSubrange(edit.range, with: Array(edit.text.utf8))
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func quoted(_ text: String) -> String { "\"\(text)\"" }

    private func hook(named name: String) throws -> String {
        let link = folder.appendingPathComponent(name).path
        guard !FileManager.default.fileExists(atPath: link) else { return link }
        let own = "\(Self.hooksFolder)/\(name)"
        let target = FileManager.default.fileExists(atPath: own) ? own : "\(Self.hooksFolder)/libdhcp_lease_cmds.so"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        return link
    }
}
