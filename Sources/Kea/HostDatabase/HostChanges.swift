import Diagnostics

/// The smallest change that makes the managed hosts equal to the rendered ones: a host is kept when nothing in it
/// differs, updated in place (same row id) when its identity stays and something else changed, inserted or deleted
/// otherwise.
struct HostChanges {
    struct Change {
        let stored: KeaHostDatabase.Stored
        let new: HostReservation
    }

    var added: [HostReservation] = []
    var removed: [KeaHostDatabase.Stored] = []
    var changed: [Change] = []
    var unchanged = 0

    var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    init(stored: [HostReservation.Key: KeaHostDatabase.Stored], rendered: [HostReservation]) {
        var seen = Set<HostReservation.Key>()
        seen.reserveCapacity(rendered.count)
        for host in rendered {
            seen.insert(host.key)
            if let old = stored[host.key] {
                if old.host == host { unchanged += 1 } else { changed.append(Change(stored: old, new: host)) }
            } else {
                added.append(host)
            }
        }
        removed = stored.values.filter { !seen.contains($0.host.key) }.sorted { $0.host.key < $1.host.key }
    }

    /// `-` / `+` lines, one host each as Kea's reservation JSON, sorted by identity.
    func diff() -> String {
        var lines: [(HostReservation.Key, Int, String)] = []
        for old in removed { lines.append((old.host.key, 0, "- " + old.host.reservationJSON)) }
        for change in changed {
            lines.append((change.new.key, 0, "- " + change.stored.host.reservationJSON))
            lines.append((change.new.key, 1, "+ " + change.new.reservationJSON))
        }
        for host in added { lines.append((host.key, 1, "+ " + host.reservationJSON)) }
        lines.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return lines.map(\.2).joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}

extension HostReservation {
    /// The host as a one-line reservation (with `subnet-id`, as Kea's host commands write it), for the dry-run diff.
    var reservationJSON: String {
        var out = "{\"subnet-id\":\(key.subnetID),"
        out += JSONString.quoted(key.identifierType.keyword) + ":"
        if key.identifierType == .hwAddress || key.identifierType == .duid || key.identifier.contains(where: { $0 < 0x20 || $0 > 0x7e || $0 == 0x27 }) {
            out += JSONString.quoted(HostIdentifierType.hex(key.identifier))
        } else {
            out += JSONString.quoted("'" + String(decoding: key.identifier, as: UTF8.self) + "'")
        }
        if let ipv4Address {
            out += ",\"ip-address\":" + JSONString.quoted(InetAddress(family: .v4, high: 0, low: UInt64(ipv4Address)).description)
        }
        let addresses = ipv6.filter { $0.type == 0 }.map { JSONString.quoted($0.address.description) }
        let prefixes = ipv6.filter { $0.type == 2 }.map { JSONString.quoted("\($0.address)/\($0.prefixLength)") }
        if !addresses.isEmpty { out += ",\"ip-addresses\":[" + addresses.joined(separator: ",") + "]" }
        if !prefixes.isEmpty { out += ",\"prefixes\":[" + prefixes.joined(separator: ",") + "]" }
        if let hostname { out += ",\"hostname\":" + JSONString.quoted(hostname) }
        if let clientClasses {
            out += ",\"client-classes\":[" + clientClasses.split(separator: ",").map { JSONString.quoted(String($0)) }.joined(separator: ",") + "]"
        }
        if let nextServer {
            out += ",\"next-server\":" + JSONString.quoted(InetAddress(family: .v4, high: 0, low: UInt64(nextServer)).description)
        }
        if let serverHostname { out += ",\"server-hostname\":" + JSONString.quoted(serverHostname) }
        if let bootFileName { out += ",\"boot-file-name\":" + JSONString.quoted(bootFileName) }
        if !options.isEmpty {
            out += ",\"option-data\":[" + options.map { option in
                var text = "{\"code\":\(option.code),\"space\":" + JSONString.quoted(option.space)
                if let formatted = option.formattedValue {
                    text += ",\"data\":" + JSONString.quoted(formatted)
                } else if let value = option.value {
                    text += ",\"csv-format\":false,\"data\":" + JSONString.quoted(HostIdentifierType.hex(value, separator: ""))
                }
                if option.persistent { text += ",\"always-send\":true" }
                return text + "}"
            }.joined(separator: ",") + "]"
        }
        if userContext != HostDocument.mark + "}" { out += ",\"user-context\":" + userContext }
        return out + "}"
    }
}
