/// What NetBox knows about the device or VM behind a reservation and about the interface holding its address:
/// what templates select and classify by (PXE by platform, options by role).
public struct HostDetails: Hashable, Sendable {
    /// Device role slug (a VM's role is a device role too).
    public var role: String?
    /// Platform slug.
    public var platform: String?
    /// Device type slug; nil for VMs.
    public var deviceType: String?
    /// Manufacturer slug of the device type; nil for VMs.
    public var manufacturer: String?
    /// The device's or VM's status (`active`, `planned`, `offline`, …); nil when the source did not say.
    public var status: String?
    /// Tag slugs of the device or VM, sorted.
    public var tags: [String]
    /// The device's or VM's `custom_field_data`.
    public var customFields: [String: JSONValue]

    public init(role: String? = nil, platform: String? = nil, deviceType: String? = nil, manufacturer: String? = nil,
                status: String? = nil, tags: [String] = [], customFields: [String: JSONValue] = [:]) {
        self.role = role
        self.platform = platform
        self.deviceType = deviceType
        self.manufacturer = manufacturer
        self.status = status
        self.tags = tags
        self.customFields = customFields
    }
}

/// The interface a reservation's address is assigned to, beyond its name and MAC.
public struct InterfaceDetails: Hashable, Sendable {
    /// Tag slugs of the interface, sorted.
    public var tags: [String]
    /// The interface's `custom_field_data`: where identifiers such as a DHCPv6 DUID are usually kept.
    public var customFields: [String: JSONValue]
    /// The interface's untagged (access) VLAN.
    public var untaggedVLAN: VLAN?

    public init(tags: [String] = [], customFields: [String: JSONValue] = [:], untaggedVLAN: VLAN? = nil) {
        self.tags = tags
        self.customFields = customFields
        self.untaggedVLAN = untaggedVLAN
    }
}

/// A NetBox VLAN (`ipam_vlan`), as seen from an interface or a prefix.
public struct VLAN: Hashable, Sendable {
    /// The 802.1Q VLAN id (1–4094).
    public var vid: Int
    public var name: String

    public init(vid: Int, name: String) {
        self.vid = vid
        self.name = name
    }
}
