import Diagnostics

/// Checks for what Kea 2.2 rejects (or silently gets wrong) in a configuration that is valid JSON: the
/// install sequence runs them before `kea-dhcpN -t`, because Kea's own messages for these carry no
/// position, and a semantic error during a reload makes Kea 2.2 stop serving (kea-facts.md).
///
/// Findings name the path, the line and column of the offending node, and the values involved.
public enum SemanticChecks {
    public static func run(_ document: ConfigDocument) -> [ConfigFinding] {
        var run = CheckRun(document: document)
        run.checkAll()
        return run.findings
    }
}

private struct CheckRun {
    let document: ConfigDocument
    var findings: [ConfigFinding] = []

    init(document: ConfigDocument) {
        self.document = document
    }

    mutating func report(_ severity: ConfigFinding.Severity, _ rule: String, _ message: String, at node: ConfigValue,
                         path: String, notes: [Diagnostic] = []) {
        let (file, line, column) = document.sourceLocation(of: node.offset)
        findings.append(ConfigFinding(severity: severity, rule: rule, message: message, file: file, line: line,
                                      column: column, path: path, notes: notes))
    }

    /// "`what` is here": a note at another node, so the first of two duplicates is shown where it stands (and,
    /// in a rendered config, at the template line that wrote it) rather than as a line number in the text.
    func note(_ what: String, at node: ConfigValue) -> Diagnostic {
        let (file, line, column) = document.sourceLocation(of: node.offset)
        return .note("\(what) is here", at: SourceLocation(file: file, line: line, column: column))
    }

    mutating func checkAll() {
        guard let family = document.family, let server = document.server else {
            report(.error, "not-a-dhcp-config", "no top-level \"Dhcp4\" or \"Dhcp6\" object: not a Kea DHCP server configuration",
                   at: document.root, path: "")
            return
        }
        guard server.objectMembers != nil else {
            report(.error, "wrong-type", "\"\(family.topLevelKey)\" must be an object", at: server, path: family.topLevelKey)
            return
        }
        let top = family.topLevelKey
        let uniqueIPs = server["ip-reservations-unique"]?.boolValue ?? true
        for key in [family.subnetKey, "shared-networks"] {
            if let value = server[key], value.arrayValue == nil {
                report(.error, "wrong-type", "\"\(key)\" must be a list", at: value, path: "\(top).\(key)")
            }
        }

        let removedKey = "reservation-mode"
        let removedHint = "\"reservation-mode\" was removed in Kea 2.6 (2.2 still reads it): use \"reservations-global\", \"reservations-in-subnet\" and \"reservations-out-of-pool\""
        if let node = server[removedKey] {
            report(.warning, "reservation-mode-removed", removedHint, at: node, path: top)
        }
        for (index, network) in (server["shared-networks"]?.arrayValue ?? []).enumerated() {
            if let node = network[removedKey] {
                report(.warning, "reservation-mode-removed", removedHint, at: node, path: "\(top).shared-networks[\(index)]")
            }
        }

        var subnetIDs: [Int64: (path: String, node: ConfigValue)] = [:]
        var subnetPrefixes: [InetPrefix: (path: String, node: ConfigValue)] = [:]
        for entry in document.subnetEntries() {
            let subnet = entry.value
            guard subnet.objectMembers != nil else {
                report(.error, "wrong-type", "a subnet must be an object", at: subnet, path: entry.path)
                continue
            }
            if let id = subnet["id"] {
                if let number = id.integerValue, number >= 1, number <= Int64(UInt32.max) {
                    if let first = subnetIDs[number] {
                        report(.error, "duplicate-subnet-id", "duplicate subnet id \(number): already used by \(first.path)",
                               at: id, path: entry.path, notes: [note("subnet id \(number) of \(first.path)", at: first.node)])
                    } else {
                        subnetIDs[number] = (entry.path, id)
                    }
                } else {
                    report(.error, "invalid-subnet-id", "subnet \"id\" must be an integer from 1 to 4294967295", at: id, path: entry.path)
                }
            } else {
                report(.warning, "subnet-without-id", "subnet has no \"id\": Kea 2.2 numbers it by position, so leases move to another subnet when subnets are added or removed; give every subnet a stable id (Kea 2.6 requires one)",
                       at: subnet, path: entry.path)
            }

            if let node = subnet[removedKey] {
                report(.warning, "reservation-mode-removed", removedHint, at: node, path: entry.path)
            }
            guard let prefixNode = subnet["subnet"] else {
                report(.error, "subnet-without-prefix", "subnet has no \"subnet\" (its prefix)", at: subnet, path: entry.path)
                continue
            }
            guard let prefixText = prefixNode.stringValue, let prefix = InetPrefix(prefixText), prefix.family == family else {
                report(.error, "invalid-prefix", "invalid \(family) subnet prefix \(prefixNode.stringValue.map { "\"\($0)\"" } ?? prefixNode.canonicalJSON)",
                       at: prefixNode, path: entry.path)
                continue
            }
            if prefix.hadHostBits {
                report(.warning, "prefix-host-bits", "subnet \"\(prefixText)\" has host bits set: it means \(prefix); write that", at: prefixNode, path: entry.path)
            }
            if let first = subnetPrefixes[prefix] {
                report(.error, "duplicate-subnet", "duplicate subnet \(prefix): already defined by \(first.path)",
                       at: prefixNode, path: entry.path, notes: [note("subnet \(prefix) of \(first.path)", at: first.node)])
            } else {
                subnetPrefixes[prefix] = (entry.path, prefixNode)
            }
            checkPools(of: subnet, prefix: prefix, path: entry.path)
            if let reservations = subnet["reservations"] {
                checkReservations(reservations, family: family, subnet: prefix, uniqueIPs: uniqueIPs,
                                  path: "\(entry.path).reservations")
            }
        }
        if let global = server["reservations"] {
            checkReservations(global, family: family, subnet: nil, uniqueIPs: uniqueIPs, path: "\(top).reservations")
        }
    }

    mutating func checkPools(of subnet: ConfigValue, prefix: InetPrefix, path: String) {
        guard let pools = subnet["pools"] else { return }
        guard let list = pools.arrayValue else {
            report(.error, "wrong-type", "\"pools\" must be a list", at: pools, path: path)
            return
        }
        for (index, pool) in list.enumerated() {
            let poolPath = "\(path).pools[\(index)]"
            guard let node = pool["pool"], let text = node.stringValue else {
                report(.error, "invalid-pool", "pool has no \"pool\" string", at: pool, path: poolPath)
                continue
            }
            guard let (first, last) = Self.poolBounds(text), first.family == prefix.family else {
                report(.error, "invalid-pool", "invalid pool \"\(text)\": expected \"FIRST - LAST\" or a prefix", at: node, path: poolPath)
                continue
            }
            if last < first {
                report(.error, "invalid-pool", "pool \"\(text)\" ends before it starts", at: node, path: poolPath)
            } else if !prefix.contains(first) || !prefix.contains(last) {
                report(.error, "pool-outside-subnet", "pool \(first) - \(last) is outside its subnet \(prefix)", at: node, path: poolPath)
            }
        }
    }

    /// `"192.0.2.10 - 192.0.2.20"` (blanks optional) or `"192.0.2.64/26"`.
    static func poolBounds(_ text: String) -> (InetAddress, InetAddress)? {
        if text.contains("/") {
            guard let prefix = InetPrefix(text.trimmingBlanks()) else { return nil }
            return (prefix.network, prefix.last)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = InetAddress(String(parts[0]).trimmingBlanks()),
              let last = InetAddress(String(parts[1]).trimmingBlanks()) else { return nil }
        return (first, last)
    }

    mutating func checkReservations(_ reservations: ConfigValue, family: KeaFamily, subnet: InetPrefix?,
                                    uniqueIPs: Bool, path: String) {
        guard let list = reservations.arrayValue else {
            report(.error, "wrong-type", "\"reservations\" must be a list", at: reservations, path: path)
            return
        }
        let scope = subnet.map { "subnet \($0)" } ?? "the global reservations"
        var identifiers: [String: Int] = [:]
        var addresses: [InetAddress: Int] = [:]
        identifiers.reserveCapacity(list.count)
        addresses.reserveCapacity(list.count)
        for (index, reservation) in list.enumerated() {
            // Built only when there is something to report: 100,000 paths would cost more than the checks.
            func itemPath() -> String { "\(path)[\(index)]" }
            guard reservation.objectMembers != nil else {
                report(.error, "wrong-type", "a reservation must be an object", at: reservation, path: itemPath())
                continue
            }
            // Identifier: exactly one, normalised as Kea does, unique within the subnet.
            let present = HostIdentifier.keys(for: family).compactMap { key in reservation[key].map { (key, $0) } }
            if present.isEmpty {
                report(.error, "missing-identifier", "reservation has no identifier (one of \(HostIdentifier.keys(for: family).joined(separator: ", ")))",
                       at: reservation, path: itemPath())
            } else if present.count > 1 {
                report(.error, "several-identifiers", "reservation has more than one identifier (\(present.map(\.0).joined(separator: ", "))): Kea allows exactly one",
                       at: present[1].1, path: itemPath())
            } else {
                let (type, node) = present[0]
                if let text = node.stringValue, let normal = HostIdentifier.normalise(text, type: type) {
                    let key = "\(type)=\(normal)"
                    if let first = identifiers[key] {
                        report(.error, "duplicate-identifier", "duplicate \(type) \(normal) in \(scope): already reserved by \(path)[\(first)]",
                               at: node, path: itemPath(), notes: [note("\(path)[\(first)]", at: list[first])])
                    } else {
                        identifiers[key] = index
                    }
                } else {
                    report(.error, "invalid-identifier", "invalid \(type) \(node.stringValue.map { "\"\($0)\"" } ?? node.canonicalJSON) (hex bytes separated by ':' or blanks, or none; dashes are not accepted by Kea)",
                           at: node, path: itemPath())
                }
            }

            // Addresses: v4 `ip-address`, v6 `ip-addresses` (a list; the singular is a Kea syntax error in v6).
            var addressNodes: [ConfigValue] = []
            if family == .v6 {
                if let singular = reservation["ip-address"] {
                    report(.error, "v6-ip-address", "\"ip-address\" is not a DHCPv6 reservation keyword: use \"ip-addresses\": [ … ]",
                           at: singular, path: itemPath())
                }
                if let plural = reservation["ip-addresses"] {
                    if let items = plural.arrayValue { addressNodes = items } else {
                        report(.error, "wrong-type", "\"ip-addresses\" must be a list", at: plural, path: itemPath())
                    }
                }
                if let prefixes = reservation["prefixes"] {
                    for item in prefixes.arrayValue ?? [prefixes] {
                        if item.stringValue.flatMap(InetPrefix.init).map({ $0.family == .v6 && !$0.hadHostBits }) != true {
                            report(.error, "invalid-prefix", "invalid delegated prefix \(item.canonicalJSON)", at: item, path: itemPath())
                        }
                    }
                }
            } else if let single = reservation["ip-address"] {
                addressNodes = [single]
            }
            for node in addressNodes {
                guard let text = node.stringValue, let address = InetAddress(text), address.family == family else {
                    report(.error, "invalid-address", "invalid \(family) address \(node.canonicalJSON)", at: node, path: itemPath())
                    continue
                }
                if let subnet {
                    if !subnet.contains(address) {
                        report(.error, "reservation-outside-subnet", "reserved address \(address) is outside its subnet \(subnet)", at: node, path: itemPath())
                        continue
                    }
                    if address == subnet.network, subnet.length < subnet.network.bitCount - 1 {
                        report(.error, "reservation-network-address", "reserved address \(address) is the network address of subnet \(subnet)", at: node, path: itemPath())
                        continue
                    }
                    // Kea accepts it, but no DHCPv4 client can use the broadcast address.
                    if family == .v4, address == subnet.last, subnet.length < 31 {
                        report(.error, "reservation-broadcast-address", "reserved address \(address) is the broadcast address of subnet \(subnet)", at: node, path: itemPath())
                        continue
                    }
                }
                guard uniqueIPs else { continue }
                if let first = addresses[address] {
                    if first != index {
                        report(.error, "duplicate-address", "duplicate reserved address \(address) in \(scope): already reserved by \(path)[\(first)]",
                               at: node, path: itemPath(), notes: [note("\(path)[\(first)]", at: list[first])])
                    }
                } else {
                    addresses[address] = index
                }
            }
        }
    }
}

extension String {
    func trimmingBlanks() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
