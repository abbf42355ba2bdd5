import Diagnostics

/// The reservations a hosts template rendered, checked and turned into host database rows.
///
/// The document is shaped like the subnets of a Kea configuration, so the semantic checks of `install` apply as
/// they are: `{"Dhcp4": {"subnet4": [{"id": 12, "subnet": "192.0.2.0/24", "reservations": [ … ]}],
/// "reservations": [ … ]}, "Dhcp6": { … }}`, shared networks included; a top-level `reservations` list holds
/// global reservations (subnet id 0). A family the document does not name is left alone in the database.
struct HostDocument {
    /// The mark kea-netbox puts first in `user_context`: how it tells its own hosts from anybody else's.
    static let mark = #"{"kea-netbox":"managed""#

    var reservations: [KeaFamily: [HostReservation]] = [:]
    var warnings: [ConfigFinding] = []

    /// `configs` are the Kea configuration files named with `--config`: every subnet id the document uses must be
    /// a subnet of that family's file, with the same prefix, or Kea would never look the hosts up.
    static func read(_ text: String, file: String, configs: [ConfigDocument]) throws(InstallError) -> HostDocument {
        let document: ConfigDocument
        do {
            // Both families in one document, unlike a daemon's file: the top level is checked below.
            document = try ConfigDocument.parse(text, file: file, topLevel: .anyObject)
        } catch {
            throw .syntax(error)
        }
        var reader = Reader(document: document)
        let families = [KeaFamily.v4, .v6].filter { document.root[$0.topLevelKey] != nil }
        if document.root.objectMembers == nil || families.isEmpty {
            reader.report(rule: "hosts-document", "a hosts document holds a \"Dhcp4\" and/or a \"Dhcp6\" object with \"subnet4\" / \"subnet6\" lists of subnets (\"id\", \"subnet\", \"reservations\")",
                          at: document.root, path: "")
        }
        for member in document.root.objectMembers ?? [] where member.key != "Dhcp4" && member.key != "Dhcp6" {
            reader.report(rule: "hosts-document", "unexpected \"\(member.key)\" at the top of a hosts document (only \"Dhcp4\" and \"Dhcp6\")",
                          at: member.value, path: member.key)
        }
        var result = HostDocument()
        for family in families {
            guard let part = document.restricted(to: family) else { continue }
            let config = configs.first { $0.family == family }
            result.reservations[family] = reader.reservations(of: part, family: family, config: config)
        }
        result.warnings = document.warnings + reader.findings.filter { $0.severity == .warning }
        if reader.findings.contains(where: { $0.severity == .error }) { throw .findings(reader.findings) }
        return result
    }
}

private struct Reader {
    let document: ConfigDocument
    var findings: [ConfigFinding] = []

    mutating func report(rule: String, _ message: String, at node: ConfigValue, path: String,
                         severity: ConfigFinding.Severity = .error) {
        let (file, line, column) = document.sourceLocation(of: node.offset)
        findings.append(ConfigFinding(severity: severity, rule: rule, message: message, file: file, line: line,
                                      column: column, path: path))
    }

    mutating func reservations(of part: ConfigDocument, family: KeaFamily, config: ConfigDocument?) -> [HostReservation] {
        // The same checks as a config file: identifiers, duplicates, addresses inside their subnet, subnet ids.
        // A subnet without id is an error here (below), not the config file's warning.
        findings += SemanticChecks.run(part).filter { $0.rule != "subnet-without-id" }
        let configSubnets = config.map(Self.subnetPrefixes)
        var hosts: [HostReservation] = []
        for entry in part.subnetEntries() {
            guard let idNode = entry.value["id"] else {
                report(rule: "subnet-without-id", "a subnet in a hosts document needs its \"id\": Kea's host database keys reservations by subnet id",
                       at: entry.value, path: entry.path)
                continue
            }
            guard let id = idNode.integerValue, id >= 1, id <= Int64(UInt32.max) else { continue }
            if let configSubnets, let configFile = config?.file {
                let prefix = entry.value["subnet"]?.stringValue.flatMap(InetPrefix.init)
                if let known = configSubnets[id] {
                    if let prefix, known != prefix {
                        report(rule: "subnet-not-in-config", "subnet id \(id) is \(known) in \(configFile), not \(prefix)", at: idNode, path: entry.path)
                    }
                } else {
                    report(rule: "subnet-not-in-config", "subnet id \(id) is not a subnet of \(configFile): Kea would never look these hosts up",
                           at: idNode, path: entry.path)
                }
            }
            for (index, node) in (entry.value["reservations"]?.arrayValue ?? []).enumerated() {
                if let host = reservation(node, family: family, subnetID: id, path: "\(entry.path).reservations[\(index)]") {
                    hosts.append(host)
                }
            }
        }
        let top = family.topLevelKey
        for (index, node) in (part.server?["reservations"]?.arrayValue ?? []).enumerated() {
            if let host = reservation(node, family: family, subnetID: 0, path: "\(top).reservations[\(index)]") {
                hosts.append(host)
            }
        }
        return hosts
    }

    static func subnetPrefixes(_ config: ConfigDocument) -> [Int64: InetPrefix] {
        var prefixes: [Int64: InetPrefix] = [:]
        for entry in config.subnetEntries() {
            guard let id = entry.value["id"]?.integerValue,
                  let prefix = entry.value["subnet"]?.stringValue.flatMap(InetPrefix.init) else { continue }
            prefixes[id] = prefix
        }
        return prefixes
    }

    static let keywords4: Set<String> = ["hw-address", "client-id", "duid", "circuit-id", "flex-id", "ip-address",
                                         "hostname", "option-data", "client-classes", "next-server",
                                         "server-hostname", "boot-file-name", "user-context", "comment"]
    static let keywords6: Set<String> = ["hw-address", "duid", "flex-id", "ip-addresses", "prefixes", "hostname",
                                         "option-data", "client-classes", "user-context", "comment"]

    /// Nil when the node has errors (reported). The semantic checks have already reported identifier and address
    /// problems; those nodes are skipped here without a second message.
    mutating func reservation(_ node: ConfigValue, family: KeaFamily, subnetID: Int64, path: String) -> HostReservation? {
        guard let members = node.objectMembers else { return nil }
        let errorsBefore = findings.count
        let allowed = family == .v4 ? Self.keywords4 : Self.keywords6
        for member in members where !allowed.contains(member.key) {
            report(rule: "host-database-keyword", "\"\(member.key)\" is not a \(family) reservation keyword kea-netbox can store in Kea's host database (\(allowed.sorted().joined(separator: ", ")))",
                   at: member.value, path: path)
        }
        let present = HostIdentifier.keys(for: family).compactMap { key in node[key].map { (key, $0) } }
        guard present.count == 1, let type = HostIdentifierType(keyword: present[0].0),
              let text = present[0].1.stringValue, let identifier = Self.identifierBytes(text, type: type) else { return nil }

        var host = HostReservation(key: .init(family: family, subnetID: subnetID, identifierType: type, identifier: identifier),
                                   ipv4Address: nil, ipv6: [], hostname: nil, clientClasses: nil, nextServer: nil,
                                   serverHostname: nil, bootFileName: nil, userContext: "", options: [])
        if family == .v4 {
            if let text = node["ip-address"]?.stringValue, let address = InetAddress(text), address.family == .v4 {
                host.ipv4Address = UInt32(truncatingIfNeeded: address.low)
            }
            host.nextServer = v4Address(node["next-server"], name: "next-server", path: path)
            host.serverHostname = limitedText(node["server-hostname"], name: "server-hostname", limit: 64, path: path)
            host.bootFileName = limitedText(node["boot-file-name"], name: "boot-file-name", limit: 128, path: path)
        } else {
            for item in node["ip-addresses"]?.arrayValue ?? [] {
                if let text = item.stringValue, let address = InetAddress(text), address.family == .v6 {
                    host.ipv6.append(IPv6Reservation(address: address, prefixLength: 128, type: 0))
                }
            }
            let prefixes = node["prefixes"].map { $0.arrayValue ?? [$0] } ?? []
            for item in prefixes {
                if let text = item.stringValue, let prefix = InetPrefix(text), prefix.family == .v6 {
                    host.ipv6.append(IPv6Reservation(address: prefix.network, prefixLength: prefix.length, type: 2))
                }
            }
            host.ipv6.sort()
        }
        host.hostname = limitedText(node["hostname"], name: "hostname", limit: 255, path: path)
        host.clientClasses = clientClasses(node["client-classes"], path: path)
        host.options = options(node["option-data"], family: family, path: path)
        host.userContext = userContext(node, path: path)
        return findings.count == errorsBefore ? host : nil
    }

    static func identifierBytes(_ text: String, type: HostIdentifierType) -> [UInt8]? {
        if type != .hwAddress, type != .duid, text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") {
            let inner = Array(text.utf8.dropFirst().dropLast())
            return inner.isEmpty ? nil : inner
        }
        guard let bytes = HostIdentifier.decodeFormattedHex(text), !bytes.isEmpty else { return nil }
        return bytes
    }

    /// Kea's columns are VARCHAR(n): a longer value would make the whole transaction fail.
    mutating func limitedText(_ node: ConfigValue?, name: String, limit: Int, path: String) -> String? {
        guard let node else { return nil }
        guard let text = node.stringValue else {
            report(rule: "invalid-value", "\"\(name)\" must be a string", at: node, path: path)
            return nil
        }
        if text.utf8.count > limit {
            report(rule: "value-too-long", "\"\(name)\" is \(text.utf8.count) bytes long; Kea's host database holds at most \(limit)", at: node, path: path)
        }
        return text.isEmpty ? nil : text
    }

    mutating func v4Address(_ node: ConfigValue?, name: String, path: String) -> UInt32? {
        guard let node else { return nil }
        guard let text = node.stringValue, let address = InetAddress(text), address.family == .v4 else {
            report(rule: "invalid-value", "\"\(name)\" must be an IPv4 address", at: node, path: path)
            return nil
        }
        let value = UInt32(truncatingIfNeeded: address.low)
        return value == 0 ? nil : value
    }

    mutating func clientClasses(_ node: ConfigValue?, path: String) -> String? {
        guard let node else { return nil }
        guard let items = node.arrayValue else {
            report(rule: "invalid-value", "\"client-classes\" must be a list of class names", at: node, path: path)
            return nil
        }
        var names: [String] = []
        for item in items {
            // Kea stores the list comma-separated: a comma inside a name would split it.
            guard let name = item.stringValue, !name.isEmpty, !name.contains(",") else {
                report(rule: "invalid-client-class", "invalid client class \(item.canonicalJSON): a non-empty name without commas", at: item, path: path)
                continue
            }
            names.append(name)
        }
        let joined = names.joined(separator: ",")
        if joined.utf8.count > 255 {
            report(rule: "value-too-long", "\"client-classes\" take \(joined.utf8.count) bytes; Kea's host database holds at most 255", at: node, path: path)
        }
        return joined.isEmpty ? nil : joined
    }

    mutating func options(_ node: ConfigValue?, family: KeaFamily, path: String) -> [HostOption] {
        guard let node else { return [] }
        guard let items = node.arrayValue else {
            report(rule: "invalid-value", "\"option-data\" must be a list", at: node, path: path)
            return []
        }
        let defaultSpace = family == .v4 ? "dhcp4" : "dhcp6"
        let maxCode = family == .v4 ? 254 : 65535
        var options: [HostOption] = []
        for item in items {
            guard let members = item.objectMembers else {
                report(rule: "invalid-option", "an option must be an object", at: item, path: path)
                continue
            }
            for member in members where !["name", "code", "space", "data", "csv-format", "always-send"].contains(member.key) {
                report(rule: "host-database-keyword", "\"\(member.key)\" in an option cannot be stored in Kea's host database (name, code, space, data, csv-format, always-send)",
                       at: member.value, path: path)
            }
            let space = item["space"]?.stringValue ?? defaultSpace
            var code: Int? = nil
            if let codeNode = item["code"] {
                guard let number = codeNode.integerValue, number >= 1, number <= maxCode else {
                    report(rule: "invalid-option", "option \"code\" must be an integer from 1 to \(maxCode)", at: codeNode, path: path)
                    continue
                }
                code = Int(number)
            }
            if let nameNode = item["name"] {
                guard let name = nameNode.stringValue else {
                    report(rule: "invalid-option", "option \"name\" must be a string", at: nameNode, path: path)
                    continue
                }
                let known = space == defaultSpace ? StandardOptionCodes.code(of: name, family: family) : nil
                if let known, let given = code, known != given {
                    report(rule: "invalid-option", "option \"\(name)\" has code \(known), not \(given)", at: nameNode, path: path)
                    continue
                }
                if code == nil, known == nil {
                    report(rule: "option-code-unknown", "option \"\(name)\" (space \(space)): Kea's host database stores options by code; give its \"code\"",
                           at: nameNode, path: path)
                    continue
                }
                code = code ?? known
            }
            guard let code else {
                report(rule: "invalid-option", "an option needs a \"name\" or a \"code\"", at: item, path: path)
                continue
            }
            let data = item["data"]?.stringValue ?? ""
            let persistent = item["always-send"]?.boolValue ?? false
            if item["csv-format"]?.boolValue ?? true {
                // Kea splits formatted_value at commas and reads each piece as the config parser would.
                let formatted = data.split(separator: ",", omittingEmptySubsequences: false)
                    .map { String($0).trimmingBlanks() }.joined(separator: ",")
                options.append(HostOption(code: code, space: space, formattedValue: formatted.isEmpty ? nil : formatted,
                                          value: nil, persistent: persistent))
            } else {
                let bytes = data.isEmpty ? [] : HostIdentifier.decodeFormattedHex(data)
                guard let bytes else {
                    report(rule: "invalid-option", "option data \(JSONString.quoted(data)) is not hex (csv-format false)", at: item["data"] ?? item, path: path)
                    continue
                }
                options.append(HostOption(code: code, space: space, formattedValue: nil,
                                          value: bytes.isEmpty ? nil : bytes, persistent: persistent))
            }
        }
        return options
    }

    /// The mark, then the template's `user-context` members, then `comment` as Kea files it (inside the user context).
    mutating func userContext(_ node: ConfigValue, path: String) -> String {
        var text = HostDocument.mark
        if let context = node["user-context"] {
            if let members = context.objectMembers {
                for member in members {
                    if member.key == "kea-netbox" {
                        report(rule: "reserved-user-context-key", "\"kea-netbox\" in a user-context is kea-netbox's own mark; use another key", at: member.value, path: path)
                        continue
                    }
                    text += "," + JSONString.quoted(member.key) + ":" + member.value.canonicalJSON
                }
            } else {
                report(rule: "invalid-value", "\"user-context\" must be a map", at: context, path: path)
            }
        }
        if let comment = node["comment"] {
            text += "," + JSONString.quoted("comment") + ":" + comment.canonicalJSON
        }
        return text + "}"
    }
}

/// For `lint`: a rendered hosts document (Dhcp4 and Dhcp6 side by side, which no daemon's file may hold) checked as
/// `hosts sync` checks it, with its findings located in the rendered text.
public enum HostDocumentLint {
    /// Whether `text` is a hosts document rather than one daemon's configuration.
    public static func isHostsDocument(_ text: String) -> Bool {
        guard let document = try? ConfigDocument.parse(text, file: "", includes: .reject, topLevel: .anyObject) else {
            return false
        }
        return document.root["Dhcp4"] != nil && document.root["Dhcp6"] != nil
    }

    public static func findings(_ text: String, file: String) -> [Diagnostic] {
        do {
            return try HostDocument.read(text, file: file, configs: []).warnings.map(\.diagnostic)
        } catch {
            return error.configDiagnostics ?? [Diagnostic(severity: .error, message: error.description)]
        }
    }
}
