import Templating

/// The members of a reservation as templates see them, in the order `memberNames` lists them: the raw value is the
/// member's position, which the renderer remembers per place in the template (`TemplateObject.memberIndex`), so a
/// member read in a loop over 100,000 reservations is a switch on an integer instead of on a name.
enum ReservationMember: Int, CaseIterable {
    case ipID, ip, prefixLength, family, mac, hostname, dnsName, name, kind, interface, site, tenant, vrf, status
    case description, tags, customFields, reason, role, platform, deviceType, manufacturer, hostStatus, hostTags
    case hostCustomFields, interfaceTags, interfaceCustomFields, vlan, vlanName, duid, clientID

    /// The name in templates.
    var name: String {
        switch self {
        case .ipID: "ip_id"
        case .ip: "ip"
        case .prefixLength: "prefix_length"
        case .family: "family"
        case .mac: "mac"
        case .hostname: "hostname"
        case .dnsName: "dns_name"
        case .name: "name"
        case .kind: "kind"
        case .interface: "interface"
        case .site: "site"
        case .tenant: "tenant"
        case .vrf: "vrf"
        case .status: "status"
        case .description: "description"
        case .tags: "tags"
        case .customFields: "custom_fields"
        case .reason: "reason"
        case .role: "role"
        case .platform: "platform"
        case .deviceType: "device_type"
        case .manufacturer: "manufacturer"
        case .hostStatus: "host_status"
        case .hostTags: "host_tags"
        case .hostCustomFields: "host_custom_fields"
        case .interfaceTags: "interface_tags"
        case .interfaceCustomFields: "interface_custom_fields"
        case .vlan: "vlan"
        case .vlanName: "vlan_name"
        case .duid: "duid"
        case .clientID: "client_id"
        }
    }

    /// What the static checker knows of it; nullable NetBox fields are `unknown` (a string or null, decided by data).
    var shape: ValueShape {
        switch self {
        case .ipID, .prefixLength, .family: .integer
        case .ip: .object(NetBoxShapes.ipAddress)
        case .mac, .hostname, .dnsName, .name, .kind, .interface, .status, .description, .reason: .string
        case .tags, .hostTags, .interfaceTags: .list(of: .string)
        case .customFields, .hostCustomFields, .interfaceCustomFields: .map(keys: nil)
        case .site, .tenant, .vrf, .role, .platform, .deviceType, .manufacturer, .hostStatus, .vlan, .vlanName, .duid,
             .clientID:
            .unknown
        }
    }
}
