import Foundation

extension Snapshot {
    /// The snapshot as indented JSON with sorted keys, entries in canonical order and a trailing newline: the same
    /// data always gives the same bytes, so snapshots can be diffed and committed.
    ///
    /// Written entry by entry straight into one buffer, with each entry's keys in their sorted order spelled out
    /// below (no JSON tree, no per-object key sort); the bytes are those `jsonValue()` gives through the generic
    /// writer, which the tests check.
    public func encoded() -> Data { Data(encodedBytes()) }

    /// `encoded()` as UTF-8 bytes.
    public func encodedBytes() -> [UInt8] {
        var all: [UInt8] = []
        // About 460 bytes per reservation at indent 2: one allocation for the usual document.
        all.reserveCapacity(512 * (reservations.count + prefixes.count + ipRanges.count) + 4096)
        encode { all += $0 }
        return all
    }

    /// `encodedBytes()` handed to `sink` in pieces of about 1 MiB, in order, so that a large snapshot goes to its
    /// file without being held whole (800 MB at a million reservations).
    public func encode<Failure: Error>(inPieces sink: ([UInt8]) throws(Failure) -> Void) throws(Failure) {
        let canonical = sorted()
        let pieceSize = 1 << 20
        var writer = JSONTextWriter(indent: 2, capacity: pieceSize + 64 * 1024)
        func flush(_ writer: inout JSONTextWriter) throws(Failure) {
            if writer.bytes.count >= pieceSize { try sink(writer.takeBytes()) }
        }
        writer.openObject()
        writer.member("format", first: true, level: 0)
        writer.string(Snapshot.formatName)
        writer.member("ip_ranges", first: false, level: 0)
        try writer.entries(canonical.ipRanges, then: flush) { $1.write(&$0) }
        writer.member("netbox", first: false, level: 0)
        writer.openObject()
        writer.member("schema", first: true, level: 1)
        writer.string(schema)
        writer.closeObject(level: 1)
        writer.member("prefixes", first: false, level: 0)
        try writer.entries(canonical.prefixes, then: flush) { $1.write(&$0) }
        writer.member("reservations", first: false, level: 0)
        try writer.entries(canonical.reservations, then: flush) { $1.write(&$0) }
        writer.closeObject(level: 0)
        writer.append("\n")
        try sink(writer.takeBytes())
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

/// The entry objects of the snapshot's three arrays: level 2, members at level 3, keys in UTF-8 order.
private let entryLevel = 2

extension JSONTextWriter {
    /// `then` runs after each entry (to hand on what is written so far). The entries are read through the buffer:
    /// iterating the array would copy each one (every string of a reservation retained and released).
    fileprivate mutating func entries<Entry, Failure: Error>(
        _ list: [Entry], then: (inout JSONTextWriter) throws(Failure) -> Void, _ write: (inout JSONTextWriter, Entry) -> Void
    ) throws(Failure) {
        if list.isEmpty { append("[]"); return }
        append("[")
        try list.withUnsafeBufferPointer { (all) throws(Failure) in
            for i in all.indices {
                if i > 0 { append(",") }
                append("\n    ")
                write(&self, all[i])
                try then(&self)
            }
        }
        append("\n  ]")
    }

    fileprivate mutating func customFields(_ fields: [String: JSONValue]) {
        write(.object(fields), level: entryLevel + 1)
    }
}

extension Prefix {
    fileprivate func write(_ writer: inout JSONTextWriter) {
        writer.openObject()
        writer.member("custom_fields", first: true, level: entryLevel)
        writer.customFields(customFields)
        writer.member("description", first: false, level: entryLevel)
        writer.string(description)
        writer.member("family", first: false, level: entryLevel)
        writer.integer(family.rawValue)
        writer.member("id", first: false, level: entryLevel)
        writer.integer(id)
        writer.member("is_pool", first: false, level: entryLevel)
        writer.append(isPool ? "true" : "false")
        writer.member("prefix", first: false, level: entryLevel)
        writer.string(prefix.description)
        writer.member("role", first: false, level: entryLevel)
        writer.optionalString(role)
        writer.member("site", first: false, level: entryLevel)
        writer.optionalString(site)
        writer.member("status", first: false, level: entryLevel)
        writer.string(status)
        writer.member("tags", first: false, level: entryLevel)
        writer.strings(tags, level: entryLevel + 1)
        writer.member("tenant", first: false, level: entryLevel)
        writer.optionalString(tenant)
        writer.vlan(vlan)
        writer.member("vrf", first: false, level: entryLevel)
        writer.optionalString(vrf)
        writer.closeObject(level: entryLevel)
    }
}

extension IPRange {
    fileprivate func write(_ writer: inout JSONTextWriter) {
        writer.openObject()
        writer.member("custom_fields", first: true, level: entryLevel)
        writer.customFields(customFields)
        writer.member("description", first: false, level: entryLevel)
        writer.string(description)
        writer.member("end", first: false, level: entryLevel)
        writer.string(end.description)
        writer.member("family", first: false, level: entryLevel)
        writer.integer(family.rawValue)
        writer.member("id", first: false, level: entryLevel)
        writer.integer(id)
        writer.member("role", first: false, level: entryLevel)
        writer.optionalString(role)
        writer.member("start", first: false, level: entryLevel)
        writer.string(start.description)
        writer.member("status", first: false, level: entryLevel)
        writer.string(status)
        writer.member("tags", first: false, level: entryLevel)
        writer.strings(tags, level: entryLevel + 1)
        writer.member("tenant", first: false, level: entryLevel)
        writer.optionalString(tenant)
        writer.member("vrf", first: false, level: entryLevel)
        writer.optionalString(vrf)
        writer.closeObject(level: entryLevel)
    }
}

extension Reservation {
    fileprivate func write(_ writer: inout JSONTextWriter) {
        writer.openObject()
        writer.member("custom_fields", first: true, level: entryLevel)
        writer.customFields(customFields)
        writer.member("description", first: false, level: entryLevel)
        writer.string(description)
        writer.member("device_type", first: false, level: entryLevel)
        writer.optionalString(host.deviceType)
        writer.member("dns_name", first: false, level: entryLevel)
        writer.string(dnsName)
        writer.member("family", first: false, level: entryLevel)
        writer.integer(family.rawValue)
        writer.member("host_custom_fields", first: false, level: entryLevel)
        writer.customFields(host.customFields)
        writer.member("host_status", first: false, level: entryLevel)
        writer.optionalString(host.status)
        writer.member("host_tags", first: false, level: entryLevel)
        writer.strings(host.tags, level: entryLevel + 1)
        writer.member("hostname", first: false, level: entryLevel)
        writer.string(hostname)
        writer.member("interface", first: false, level: entryLevel)
        writer.string(interface)
        writer.member("interface_custom_fields", first: false, level: entryLevel)
        writer.customFields(interfaceDetails.customFields)
        writer.member("interface_tags", first: false, level: entryLevel)
        writer.strings(interfaceDetails.tags, level: entryLevel + 1)
        writer.member("ip", first: false, level: entryLevel)
        writer.string(ip.description)
        writer.member("ip_id", first: false, level: entryLevel)
        writer.integer(ipID)
        writer.member("kind", first: false, level: entryLevel)
        writer.string(kind.rawValue)
        writer.member("mac", first: false, level: entryLevel)
        writer.string(mac.description)
        writer.member("manufacturer", first: false, level: entryLevel)
        writer.optionalString(host.manufacturer)
        writer.member("name", first: false, level: entryLevel)
        writer.string(name)
        writer.member("platform", first: false, level: entryLevel)
        writer.optionalString(host.platform)
        writer.member("prefix_length", first: false, level: entryLevel)
        writer.integer(prefixLength)
        writer.member("reason", first: false, level: entryLevel)
        writer.string(reason.rawValue)
        writer.member("role", first: false, level: entryLevel)
        writer.optionalString(host.role)
        writer.member("site", first: false, level: entryLevel)
        writer.optionalString(site)
        writer.member("status", first: false, level: entryLevel)
        writer.string(status)
        writer.member("tags", first: false, level: entryLevel)
        writer.strings(tags, level: entryLevel + 1)
        writer.member("tenant", first: false, level: entryLevel)
        writer.optionalString(tenant)
        writer.vlan(interfaceDetails.untaggedVLAN)
        writer.member("vrf", first: false, level: entryLevel)
        writer.optionalString(vrf)
        writer.closeObject(level: entryLevel)
    }
}

extension JSONTextWriter {
    /// `vlan` (the VLAN id or null) and `vlan_name`, which sort between `tenant` and `vrf`.
    fileprivate mutating func vlan(_ vlan: VLAN?) {
        member("vlan", first: false, level: entryLevel)
        if let vlan { integer(vlan.vid) } else { append("null") }
        member("vlan_name", first: false, level: entryLevel)
        optionalString(vlan?.name)
    }
}
