import Foundation

extension Snapshot {
    /// The snapshot as indented JSON with sorted keys, entries in canonical order and a trailing newline: the same
    /// data always gives the same bytes, so snapshots can be diffed and committed.
    public func encoded() -> Data {
        var writer = JSONTextWriter(indent: 2)
        writer.write(jsonValue())
        return Data((writer.output + "\n").utf8)
    }

    /// The document as a JSON value (DESIGN §3).
    public func jsonValue() -> JSONValue {
        let canonical = sorted()
        return .object([
            "format": .string(Snapshot.formatName),
            "netbox": .object(["schema": .string(schema)]),
            "prefixes": .array(canonical.prefixes.map(\.jsonValue)),
            "ip_ranges": .array(canonical.ipRanges.map(\.jsonValue)),
            "reservations": .array(canonical.reservations.map(\.jsonValue)),
        ])
    }
}

private func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
private func tagList(_ tags: [String]) -> JSONValue { .array(tags.map(JSONValue.string)) }

extension Prefix {
    var jsonValue: JSONValue {
        .object([
            "id": .integer(id), "prefix": .string(prefix.description), "family": .integer(family.rawValue),
            "vrf": optional(vrf), "status": .string(status), "site": optional(site), "tenant": optional(tenant),
            "role": optional(role), "is_pool": .bool(isPool), "description": .string(description),
            "tags": tagList(tags), "custom_fields": .object(customFields),
            "vlan": vlan.map { .integer($0.vid) } ?? .null, "vlan_name": optional(vlan?.name),
        ])
    }
}

extension IPRange {
    var jsonValue: JSONValue {
        .object([
            "id": .integer(id), "start": .string(start.description), "end": .string(end.description),
            "family": .integer(family.rawValue), "vrf": optional(vrf), "status": .string(status),
            "tenant": optional(tenant), "role": optional(role), "description": .string(description),
            "tags": tagList(tags), "custom_fields": .object(customFields),
        ])
    }
}

extension Reservation {
    var jsonValue: JSONValue {
        .object([
            "ip_id": .integer(ipID), "ip": .string(ip.description), "prefix_length": .integer(prefixLength),
            "family": .integer(family.rawValue), "mac": .string(mac.description), "hostname": .string(hostname),
            "dns_name": .string(dnsName), "name": .string(name), "kind": .string(kind.rawValue),
            "interface": .string(interface), "site": optional(site), "tenant": optional(tenant),
            "vrf": optional(vrf), "status": .string(status), "description": .string(description),
            "tags": tagList(tags), "custom_fields": .object(customFields), "reason": .string(reason.rawValue),
            "role": optional(host.role), "platform": optional(host.platform),
            "device_type": optional(host.deviceType), "manufacturer": optional(host.manufacturer),
            "host_status": optional(host.status), "host_tags": tagList(host.tags),
            "host_custom_fields": .object(host.customFields), "interface_tags": tagList(interfaceDetails.tags),
            "interface_custom_fields": .object(interfaceDetails.customFields),
            "vlan": interfaceDetails.untaggedVLAN.map { .integer($0.vid) } ?? .null,
            "vlan_name": optional(interfaceDetails.untaggedVLAN?.name),
        ])
    }
}
