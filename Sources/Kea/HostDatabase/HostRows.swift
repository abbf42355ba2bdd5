import Diagnostics

/// Rows travel to PostgreSQL as one JSON parameter per statement, read with `json_to_recordset`: one round trip for
/// 100,000 hosts, and the values never become SQL text, so nothing needs quoting.
enum HostRows {
    static func idArray(_ ids: [Int]) -> String {
        "{" + ids.map(String.init).joined(separator: ",") + "}"
    }

    private static func field(_ name: String, _ value: String?, into out: inout String) {
        if out.last != "{" { out += "," }
        out += "\"\(name)\":"
        out += value.map(JSONString.quoted) ?? "null"
    }

    private static func number<T: BinaryInteger>(_ name: String, _ value: T?, into out: inout String) {
        if out.last != "{" { out += "," }
        out += "\"\(name)\":" + (value.map { String($0) } ?? "null")
    }

    private static func array(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }

    /// Host rows; `id` for updates, nil for inserts.
    static func hosts(_ hosts: [(id: Int?, host: HostReservation)]) -> String {
        array(hosts.map { id, host in
            var out = "{"
            if let id { number("host_id", id, into: &out) }
            field("identifier", HostIdentifierType.hex(host.key.identifier, separator: ""), into: &out)
            number("type", host.key.identifierType.rawValue, into: &out)
            number("subnet4", host.key.family == .v4 ? host.key.subnetID : nil, into: &out)
            number("subnet6", host.key.family == .v6 ? host.key.subnetID : nil, into: &out)
            number("ipv4", host.ipv4Address, into: &out)
            field("hostname", host.hostname, into: &out)
            field("classes4", host.key.family == .v4 ? host.clientClasses : nil, into: &out)
            field("classes6", host.key.family == .v6 ? host.clientClasses : nil, into: &out)
            number("next_server", host.nextServer, into: &out)
            field("server_hostname", host.serverHostname, into: &out)
            field("boot_file_name", host.bootFileName, into: &out)
            field("user_context", host.userContext, into: &out)
            return out + "}"
        })
    }

    /// What the conflict check compares: identities and addresses.
    static func identities(_ hosts: [HostReservation]) -> String {
        array(hosts.map { host in
            var out = "{"
            field("identifier", HostIdentifierType.hex(host.key.identifier, separator: ""), into: &out)
            number("type", host.key.identifierType.rawValue, into: &out)
            number("subnet4", host.key.family == .v4 ? host.key.subnetID : nil, into: &out)
            number("subnet6", host.key.family == .v6 ? host.key.subnetID : nil, into: &out)
            number("ipv4", host.ipv4Address, into: &out)
            let addresses = host.ipv6.filter { $0.type == 0 }.map(\.address.description)
            field("ipv6", addresses.isEmpty ? nil : addresses.joined(separator: ","), into: &out)
            return out + "}"
        })
    }

    /// Nil when there are none.
    static func options(_ hosts: [HostReservation], ids: [HostReservation.Key: Int]) -> String? {
        var rows: [String] = []
        for host in hosts {
            guard let id = ids[host.key] else { continue }
            for option in host.options {
                var out = "{"
                number("code", option.code, into: &out)
                field("value", option.value.map { HostIdentifierType.hex($0, separator: "") }, into: &out)
                field("formatted_value", option.formattedValue, into: &out)
                field("space", option.space, into: &out)
                if out.last != "{" { out += "," }
                out += "\"persistent\":\(option.persistent)"
                number("host_id", id, into: &out)
                rows.append(out + "}")
            }
        }
        return rows.isEmpty ? nil : array(rows)
    }

    static func ipv6(_ hosts: [HostReservation], ids: [HostReservation.Key: Int]) -> String? {
        var rows: [String] = []
        for host in hosts {
            guard let id = ids[host.key] else { continue }
            for reservation in host.ipv6 {
                var out = "{"
                field("address", reservation.address.description, into: &out)
                number("prefix_len", reservation.prefixLength, into: &out)
                number("type", reservation.type, into: &out)
                number("host_id", id, into: &out)
                rows.append(out + "}")
            }
        }
        return rows.isEmpty ? nil : array(rows)
    }
}
