import NetBox
import Templating

// NetBox objects as template values. They are TemplateObjects rather than maps so that a render over 100,000
// reservations converts only the fields a template reads, and so that addresses keep numeric ordering
// (`sort(attribute="ip")` sorts 192.0.2.9 before 192.0.2.10) while rendering as their canonical text.

struct IPAddressValue: TemplateObject {
    let address: IPAddress
    var typeName: String { "IP address" }
    var text: String { address.description }
    var memberNames: [String] { NetBoxShapes.ipAddress.memberNames }
    func member(_ name: String) -> Value? {
        switch name {
        case "family": .int(address.family.rawValue)
        case "text": .string(text)
        default: nil
        }
    }
    func isLess(than other: any TemplateObject) -> Bool? {
        (other as? IPAddressValue).map { address < $0.address }
    }
    func isEqual(to other: any TemplateObject) -> Bool {
        (other as? IPAddressValue)?.address == address
    }
}

struct IPPrefixValue: TemplateObject {
    let prefix: IPPrefix
    var typeName: String { "IP prefix" }
    var text: String { prefix.description }
    var memberNames: [String] { NetBoxShapes.ipPrefix.memberNames }
    func member(_ name: String) -> Value? {
        switch name {
        case "family": .int(prefix.family.rawValue)
        case "length": .int(prefix.length)
        case "network": .object(IPAddressValue(address: prefix.network))
        case "last": .object(IPAddressValue(address: prefix.last))
        case "text": .string(text)
        default: nil
        }
    }
    func isLess(than other: any TemplateObject) -> Bool? {
        (other as? IPPrefixValue).map { prefix < $0.prefix }
    }
    func isEqual(to other: any TemplateObject) -> Bool {
        (other as? IPPrefixValue)?.prefix == prefix
    }
}

/// A NetBox prefix. Renders as its CIDR text, so `"subnet": {{ p }}` works, and passed to `reservations(p)` or
/// `ranges(within=p)` it also selects its own VRF.
struct PrefixValue: TemplateObject {
    let tree: PrefixTree
    let position: Int
    var prefix: Prefix { tree.items[position] }
    var typeName: String { "NetBox prefix" }
    var text: String { prefix.prefix.description }
    var memberNames: [String] { NetBoxShapes.prefix.memberNames }
    func member(_ name: String) -> Value? {
        switch name {
        case "id": .int(prefix.id)
        case "prefix": .object(IPPrefixValue(prefix: prefix.prefix))
        case "network": .object(IPAddressValue(address: prefix.prefix.network))
        case "length": .int(prefix.prefix.length)
        case "family": .int(prefix.family.rawValue)
        case "vrf": Value(optional: prefix.vrf)
        case "status": .string(prefix.status)
        case "site": Value(optional: prefix.site)
        case "tenant": Value(optional: prefix.tenant)
        case "role": Value(optional: prefix.role)
        case "is_pool": .bool(prefix.isPool)
        case "description": .string(prefix.description)
        case "tags": Value(strings: prefix.tags)
        case "custom_fields": Value(customFields: prefix.customFields)
        case "vlan": prefix.vlan.map { .int($0.vid) } ?? .null
        case "vlan_name": Value(optional: prefix.vlan?.name)
        case "parents": .list(tree.parents(of: position).map { .object(PrefixValue(tree: tree, position: $0)) })
        case "inherited_custom_fields": Value(customFields: tree.inheritedCustomFields(of: position))
        default: nil
        }
    }
    func isLess(than other: any TemplateObject) -> Bool? {
        (other as? PrefixValue).map { (prefix.prefix, prefix.id) < ($0.prefix.prefix, $0.prefix.id) }
    }
    func isEqual(to other: any TemplateObject) -> Bool {
        (other as? PrefixValue)?.prefix == prefix
    }
}

/// A NetBox IP range. Renders as Kea's pool syntax, `"192.0.2.100 - 192.0.2.199"`.
struct IPRangeValue: TemplateObject {
    let range: IPRange
    var typeName: String { "NetBox IP range" }
    var text: String { "\(range.start) - \(range.end)" }
    var memberNames: [String] { NetBoxShapes.ipRange.memberNames }
    func member(_ name: String) -> Value? {
        switch name {
        case "id": .int(range.id)
        case "start": .object(IPAddressValue(address: range.start))
        case "end": .object(IPAddressValue(address: range.end))
        case "family": .int(range.family.rawValue)
        case "vrf": Value(optional: range.vrf)
        case "status": .string(range.status)
        case "role": Value(optional: range.role)
        case "description": .string(range.description)
        case "tags": Value(strings: range.tags)
        case "custom_fields": Value(customFields: range.customFields)
        default: nil
        }
    }
    func isLess(than other: any TemplateObject) -> Bool? {
        (other as? IPRangeValue).map { (range.start, range.id) < ($0.range.start, $0.range.id) }
    }
    func isEqual(to other: any TemplateObject) -> Bool {
        (other as? IPRangeValue)?.range == range
    }
}

/// A host reservation: a NetBox interface's MAC and its device's or VM's primary IP. Renders as its IP.
struct ReservationValue: TemplateObject {
    let table: ReservationTable
    let position: Int
    var reservation: Reservation { table.items[position] }
    /// Read from the custom fields the lookup's `duid=` / `client_id=` arguments name; nil without them. Held by
    /// reference so that the value is three words and fits an existential's inline buffer: a `Value` for each of
    /// 100,000 reservations then allocates nothing.
    var identifiers: Identifiers? = nil

    final class Identifiers: Sendable {
        let duid: ClientIdentifier?
        let clientID: ClientIdentifier?

        init(duid: ClientIdentifier?, clientID: ClientIdentifier?) {
            self.duid = duid
            self.clientID = clientID
        }
    }
    var typeName: String { "reservation" }
    var text: String { reservation.ip.description }
    var memberNames: [String] { NetBoxShapes.reservation.memberNames }
    func member(_ name: String) -> Value? {
        memberIndex(of: name).flatMap(member(at:))
    }
    func memberIndex(of name: String) -> Int? {
        NetBoxShapes.reservation.memberIndex(of: name)
    }
    func member(at index: Int) -> Value? {
        guard let member = ReservationMember(rawValue: index) else { return nil }
        // Each case reads one field in place; a local copy of the reservation would retain all its strings.
        return switch member {
        case .ipID: .int(table.items[position].ipID)
        case .ip: .object(IPAddressValue(address: table.items[position].ip))
        case .prefixLength: .int(table.items[position].prefixLength)
        case .family: .int(table.items[position].family.rawValue)
        case .mac: .string(table.items[position].mac.description)
        case .hostname: .string(table.items[position].hostname)
        case .dnsName: .string(table.items[position].dnsName)
        case .name: .string(table.items[position].name)
        case .kind: .string(table.items[position].kind.rawValue)
        case .interface: .string(table.items[position].interface)
        case .site: Value(optional: table.items[position].site)
        case .tenant: Value(optional: table.items[position].tenant)
        case .vrf: Value(optional: table.items[position].vrf)
        case .status: .string(table.items[position].status)
        case .description: .string(table.items[position].description)
        case .tags: Value(strings: table.items[position].tags)
        case .customFields: Value(customFields: table.items[position].customFields)
        case .reason: .string(table.items[position].reason.rawValue)
        case .role: Value(optional: table.items[position].host.role)
        case .platform: Value(optional: table.items[position].host.platform)
        case .deviceType: Value(optional: table.items[position].host.deviceType)
        case .manufacturer: Value(optional: table.items[position].host.manufacturer)
        case .hostStatus: Value(optional: table.items[position].host.status)
        case .hostTags: Value(strings: table.items[position].host.tags)
        case .hostCustomFields: Value(customFields: table.items[position].host.customFields)
        case .interfaceTags: Value(strings: table.items[position].interfaceDetails.tags)
        case .interfaceCustomFields: Value(customFields: table.items[position].interfaceDetails.customFields)
        case .vlan: table.items[position].interfaceDetails.untaggedVLAN.map { .int($0.vid) } ?? .null
        case .vlanName: Value(optional: table.items[position].interfaceDetails.untaggedVLAN?.name)
        case .duid: Value(optional: identifiers?.duid?.description)
        case .clientID: Value(optional: identifiers?.clientID?.description)
        }
    }
    /// The scalar members a config writes per host (MAC, address, names): the MAC and the address from their
    /// bits, strings as they are stored. Null, lists and maps go through their `Value`.
    func writeMember(at index: Int, to output: inout TagOutput) -> Bool {
        guard let member = ReservationMember(rawValue: index) else { return false }
        switch member {
        case .mac:
            let mac = table.items[position].mac
            output.writeText(maximumCount: MACAddress.textLength) { mac.writeText(into: $0) }
        case .ip:
            let address = table.items[position].ip
            output.writeText(maximumCount: IPAddress.maximumTextLength) { address.writeText(into: $0) }
        case .ipID: output.write(table.items[position].ipID)
        case .prefixLength: output.write(table.items[position].prefixLength)
        case .family: output.write(table.items[position].family.rawValue)
        case .hostname: output.write(table.items[position].hostname)
        case .dnsName: output.write(table.items[position].dnsName)
        case .name: output.write(table.items[position].name)
        case .kind: output.write(table.items[position].kind.rawValue)
        case .interface: output.write(table.items[position].interface)
        case .status: output.write(table.items[position].status)
        case .description: output.write(table.items[position].description)
        case .reason: output.write(table.items[position].reason.rawValue)
        default: return false
        }
        return true
    }
    func isLess(than other: any TemplateObject) -> Bool? {
        (other as? ReservationValue).map { (reservation.ip, reservation.ipID) < ($0.reservation.ip, $0.reservation.ipID) }
    }
    func isEqual(to other: any TemplateObject) -> Bool {
        (other as? ReservationValue)?.reservation == reservation
    }
}

extension Value {
    init(optional string: String?) {
        self = string.map(Value.string) ?? .null
    }

    init(strings: [String]) {
        self = .list(strings.map(Value.string))
    }

    init(customFields: [String: JSONValue]) {
        self = .map(ValueMap(customFields.sorted { $0.key < $1.key }.map { ($0.key, Value(json: $0.value)) }))
    }

    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .int(number)
        case .number(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .list(items.map(Value.init(json:)))
        case .object(let fields): self = Value(customFields: fields)
        }
    }
}
