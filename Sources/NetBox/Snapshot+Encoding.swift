import Foundation
import Synchronization

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

    /// `encodedBytes()` handed to `sink` in pieces of at least 1 MiB (the last one may be smaller), in order, so that
    /// a large snapshot goes to its file without being held whole (800 MB at a million reservations).
    ///
    /// Large lists are encoded on two cores, a block of entries each at a time, and the blocks handed on in order:
    /// when `snapshot --database` writes, the read is over and the database server idle, and encoding is most of
    /// what is left to do.
    public func encode<Failure: Error>(inPieces sink: ([UInt8]) throws(Failure) -> Void) throws(Failure) {
        let canonical = sorted()
        var writer = JSONTextWriter(indent: 2, capacity: Snapshot.pieceSize + 64 * 1024)
        writer.openObject()
        writer.member("format", first: true, level: 0)
        writer.string(Snapshot.formatName)
        writer.member("ip_ranges", first: false, level: 0)
        try writer.entries(canonical.ipRanges, then: sink) { $1.write(&$0) }
        writer.member("netbox", first: false, level: 0)
        writer.openObject()
        writer.member("schema", first: true, level: 1)
        writer.string(schema)
        writer.closeObject(level: 1)
        writer.member("prefixes", first: false, level: 0)
        try writer.entries(canonical.prefixes, then: sink) { $1.write(&$0) }
        writer.member("reservations", first: false, level: 0)
        try writer.entries(canonical.reservations, then: sink) { $1.write(&$0) }
        writer.closeObject(level: 0)
        writer.append("\n")
        try sink(writer.takeBytes())
    }

    /// The smallest piece `encode(inPieces:)` hands on, but for the last.
    static let pieceSize = 1 << 20

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

/// The bytes before each member of an entry object (level 2, two spaces per level): the comma, the line break and
/// indentation, the quoted key and the colon, as one constant instead of five appends per member (about 150
/// appends per reservation were most of the writer's time). They are what `JSONTextWriter.member` writes at that
/// level (the codec tests compare the document with the generic writer's). `custom_fields` sorts first in every
/// kind of entry.
private enum Member {
    static var customFields: StaticString { "\n      \"custom_fields\": " }
    static var description: StaticString { ",\n      \"description\": " }
    static var deviceType: StaticString { ",\n      \"device_type\": " }
    static var dnsName: StaticString { ",\n      \"dns_name\": " }
    static var end: StaticString { ",\n      \"end\": " }
    static var family: StaticString { ",\n      \"family\": " }
    static var hostCustomFields: StaticString { ",\n      \"host_custom_fields\": " }
    static var hostStatus: StaticString { ",\n      \"host_status\": " }
    static var hostTags: StaticString { ",\n      \"host_tags\": " }
    static var hostname: StaticString { ",\n      \"hostname\": " }
    static var id: StaticString { ",\n      \"id\": " }
    static var interface: StaticString { ",\n      \"interface\": " }
    static var interfaceCustomFields: StaticString { ",\n      \"interface_custom_fields\": " }
    static var interfaceTags: StaticString { ",\n      \"interface_tags\": " }
    static var ip: StaticString { ",\n      \"ip\": " }
    static var ipId: StaticString { ",\n      \"ip_id\": " }
    static var isPool: StaticString { ",\n      \"is_pool\": " }
    static var kind: StaticString { ",\n      \"kind\": " }
    static var mac: StaticString { ",\n      \"mac\": " }
    static var manufacturer: StaticString { ",\n      \"manufacturer\": " }
    static var name: StaticString { ",\n      \"name\": " }
    static var platform: StaticString { ",\n      \"platform\": " }
    static var prefix: StaticString { ",\n      \"prefix\": " }
    static var prefixLength: StaticString { ",\n      \"prefix_length\": " }
    static var reason: StaticString { ",\n      \"reason\": " }
    static var role: StaticString { ",\n      \"role\": " }
    static var site: StaticString { ",\n      \"site\": " }
    static var start: StaticString { ",\n      \"start\": " }
    static var status: StaticString { ",\n      \"status\": " }
    static var tags: StaticString { ",\n      \"tags\": " }
    static var tenant: StaticString { ",\n      \"tenant\": " }
    static var vlan: StaticString { ",\n      \"vlan\": " }
    static var vlanName: StaticString { ",\n      \"vlan_name\": " }
    static var vrf: StaticString { ",\n      \"vrf\": " }
    /// The line break, indentation and brace that close an entry.
    static var entryEnd: StaticString { "\n    }" }
}

/// Entries encoded as one block on one core: about 1.6 MB of reservations, so that the two cores have enough work
/// between two hand-overs.
private let entriesPerBlock = 2048

extension JSONTextWriter {
    /// The entries as a JSON array. A list of more than one block is encoded two blocks at a time, one per core,
    /// each block handed to `sink` when it is done, in order (at least `Snapshot.pieceSize` at a time: smaller
    /// bytes gather in this writer first); a shorter list stays in this writer.
    fileprivate mutating func entries<Entry: Sendable, Failure: Error>(
        _ list: [Entry], then sink: ([UInt8]) throws(Failure) -> Void,
        _ write: @escaping @Sendable (inout JSONTextWriter, borrowing Entry) -> Void
    ) throws(Failure) {
        if list.isEmpty { append("[]"); return }
        append("[")
        if list.count <= entriesPerBlock {
            entries(list, 0..<list.count, write)
        } else {
            let blocks = Mutex<[[UInt8]]>([[], []])
            var start = 0
            while start < list.count {
                let ranges = [start..<min(start + entriesPerBlock, list.count),
                              min(start + entriesPerBlock, list.count)..<min(start + 2 * entriesPerBlock, list.count)]
                    .filter { !$0.isEmpty }
                let indent = self.indent
                DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
                    var block = JSONTextWriter(indent: indent, capacity: 800 * ranges[k].count)
                    block.entries(list, ranges[k], write)
                    let bytes = block.takeBytes()
                    blocks.withLock { $0[k] = bytes }
                }
                for block in blocks.withLock({ $0.prefix(ranges.count) }) {
                    if bytes.isEmpty, block.count >= Snapshot.pieceSize {
                        try sink(block)
                    } else {
                        append(written: block)
                        if bytes.count >= Snapshot.pieceSize { try sink(takeBytes()) }
                    }
                }
                start = ranges[ranges.count - 1].upperBound
            }
        }
        append("\n  ]")
    }

    /// The entries at `range` of `list`, each after its separator. Read through the buffer: the array's subscript
    /// would copy each one (every string of a reservation retained and released).
    private mutating func entries<Entry>(_ list: [Entry], _ range: Range<Int>,
                                         _ write: (inout JSONTextWriter, borrowing Entry) -> Void) {
        list.withUnsafeBufferPointer { all in
            for i in range {
                if i > 0 { append(",") }
                append("\n    ")
                write(&self, all[i])
            }
        }
    }

    fileprivate mutating func customFields(_ fields: [String: JSONValue]) {
        write(.object(fields), level: entryLevel + 1)
    }
}

extension Prefix {
    fileprivate func write(_ writer: inout JSONTextWriter) {
        writer.openObject()
        writer.append(Member.customFields)
        writer.customFields(customFields)
        writer.append(Member.description)
        writer.string(description)
        writer.append(Member.family)
        writer.integer(family.rawValue)
        writer.append(Member.id)
        writer.integer(id)
        writer.append(Member.isPool)
        writer.append(isPool ? "true" : "false")
        writer.append(Member.prefix)
        writer.string(prefix.description)
        writer.append(Member.role)
        writer.optionalString(role)
        writer.append(Member.site)
        writer.optionalString(site)
        writer.append(Member.status)
        writer.string(status)
        writer.append(Member.tags)
        writer.strings(tags, level: entryLevel + 1)
        writer.append(Member.tenant)
        writer.optionalString(tenant)
        writer.vlan(vlan)
        writer.append(Member.vrf)
        writer.optionalString(vrf)
        writer.append(Member.entryEnd)
    }
}

extension IPRange {
    fileprivate func write(_ writer: inout JSONTextWriter) {
        writer.openObject()
        writer.append(Member.customFields)
        writer.customFields(customFields)
        writer.append(Member.description)
        writer.string(description)
        writer.append(Member.end)
        writer.string(end.description)
        writer.append(Member.family)
        writer.integer(family.rawValue)
        writer.append(Member.id)
        writer.integer(id)
        writer.append(Member.role)
        writer.optionalString(role)
        writer.append(Member.start)
        writer.string(start.description)
        writer.append(Member.status)
        writer.string(status)
        writer.append(Member.tags)
        writer.strings(tags, level: entryLevel + 1)
        writer.append(Member.tenant)
        writer.optionalString(tenant)
        writer.append(Member.vrf)
        writer.optionalString(vrf)
        writer.append(Member.entryEnd)
    }
}

extension Reservation {
    fileprivate func write(_ writer: inout JSONTextWriter) {
        writer.openObject()
        writer.append(Member.customFields)
        writer.customFields(customFields)
        writer.append(Member.description)
        writer.string(description)
        writer.append(Member.deviceType)
        writer.optionalString(host.deviceType)
        writer.append(Member.dnsName)
        writer.string(dnsName)
        writer.append(Member.family)
        writer.integer(family.rawValue)
        writer.append(Member.hostCustomFields)
        writer.customFields(host.customFields)
        writer.append(Member.hostStatus)
        writer.optionalString(host.status)
        writer.append(Member.hostTags)
        writer.strings(host.tags, level: entryLevel + 1)
        writer.append(Member.hostname)
        writer.string(hostname)
        writer.append(Member.interface)
        writer.string(interface)
        writer.append(Member.interfaceCustomFields)
        writer.customFields(interfaceDetails.customFields)
        writer.append(Member.interfaceTags)
        writer.strings(interfaceDetails.tags, level: entryLevel + 1)
        writer.append(Member.ip)
        writer.string(ip.description)
        writer.append(Member.ipId)
        writer.integer(ipID)
        writer.append(Member.kind)
        writer.string(kind.rawValue)
        writer.append(Member.mac)
        writer.string(mac.description)
        writer.append(Member.manufacturer)
        writer.optionalString(host.manufacturer)
        writer.append(Member.name)
        writer.string(name)
        writer.append(Member.platform)
        writer.optionalString(host.platform)
        writer.append(Member.prefixLength)
        writer.integer(prefixLength)
        writer.append(Member.reason)
        writer.string(reason.rawValue)
        writer.append(Member.role)
        writer.optionalString(host.role)
        writer.append(Member.site)
        writer.optionalString(site)
        writer.append(Member.status)
        writer.string(status)
        writer.append(Member.tags)
        writer.strings(tags, level: entryLevel + 1)
        writer.append(Member.tenant)
        writer.optionalString(tenant)
        writer.vlan(interfaceDetails.untaggedVLAN)
        writer.append(Member.vrf)
        writer.optionalString(vrf)
        writer.append(Member.entryEnd)
    }
}

extension JSONTextWriter {
    /// `vlan` (the VLAN id or null) and `vlan_name`, which sort between `tenant` and `vrf`.
    fileprivate mutating func vlan(_ vlan: VLAN?) {
        append(Member.vlan)
        if let vlan { integer(vlan.vid) } else { append("null") }
        append(Member.vlanName)
        optionalString(vlan?.name)
    }
}
