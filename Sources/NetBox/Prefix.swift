/// A NetBox prefix (`ipam_prefix`): what a template turns into a Kea subnet.
public struct Prefix: Hashable, Sendable {
    public var id: Int
    public var prefix: IPPrefix
    public var family: IPFamily
    /// VRF name; nil is the global table.
    public var vrf: String?
    public var status: String
    /// Site slug (NetBox < 4.2: the prefix's site; 4.2+: the site of its scope, when the scope is or lies in a site).
    public var site: String?
    /// Tenant slug.
    public var tenant: String?
    /// IPAM role slug.
    public var role: String?
    public var isPool: Bool
    public var description: String
    /// Tag slugs, sorted.
    public var tags: [String]
    public var customFields: [String: JSONValue]
    /// The VLAN the prefix is assigned to.
    public var vlan: VLAN?

    public init(id: Int, prefix: IPPrefix, vrf: String? = nil, status: String = "active", site: String? = nil,
                tenant: String? = nil, role: String? = nil, isPool: Bool = false, description: String = "",
                tags: [String] = [], customFields: [String: JSONValue] = [:], vlan: VLAN? = nil) {
        self.id = id
        self.prefix = prefix
        self.family = prefix.family
        self.vrf = vrf
        self.status = status
        self.site = site
        self.tenant = tenant
        self.role = role
        self.isPool = isPool
        self.description = description
        self.tags = tags
        self.customFields = customFields
        self.vlan = vlan
    }
}
