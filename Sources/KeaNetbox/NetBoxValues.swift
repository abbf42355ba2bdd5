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
    let prefix: Prefix
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
    let reservation: Reservation
    var typeName: String { "reservation" }
    var text: String { reservation.ip.description }
    var memberNames: [String] { NetBoxShapes.reservation.memberNames }
    func member(_ name: String) -> Value? {
        switch name {
        case "ip_id": .int(reservation.ipID)
        case "ip": .object(IPAddressValue(address: reservation.ip))
        case "prefix_length": .int(reservation.prefixLength)
        case "family": .int(reservation.family.rawValue)
        case "mac": .string(reservation.mac.description)
        case "hostname": .string(reservation.hostname)
        case "dns_name": .string(reservation.dnsName)
        case "name": .string(reservation.name)
        case "kind": .string(reservation.kind.rawValue)
        case "interface": .string(reservation.interface)
        case "site": Value(optional: reservation.site)
        case "tenant": Value(optional: reservation.tenant)
        case "vrf": Value(optional: reservation.vrf)
        case "status": .string(reservation.status)
        case "description": .string(reservation.description)
        case "tags": Value(strings: reservation.tags)
        case "custom_fields": Value(customFields: reservation.customFields)
        default: nil
        }
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
