/// A NetBox IP range (`ipam_iprange`): what a template turns into a Kea pool.
public struct IPRange: Hashable, Sendable {
    public var id: Int
    /// First address, without the mask NetBox stores alongside it.
    public var start: IPAddress
    /// Last address (inclusive).
    public var end: IPAddress
    public var family: IPFamily
    /// VRF name; nil is the global table.
    public var vrf: String?
    public var status: String
    /// Tenant slug.
    public var tenant: String?
    /// IPAM role slug.
    public var role: String?
    public var description: String
    /// Tag slugs, sorted.
    public var tags: [String]
    public var customFields: [String: JSONValue]

    public init(id: Int, start: IPAddress, end: IPAddress, vrf: String? = nil, status: String = "active",
                tenant: String? = nil, role: String? = nil, description: String = "", tags: [String] = [],
                customFields: [String: JSONValue] = [:]) {
        self.id = id
        self.start = start
        self.end = end
        self.family = start.family
        self.vrf = vrf
        self.status = status
        self.tenant = tenant
        self.role = role
        self.description = description
        self.tags = tags
        self.customFields = customFields
    }

    /// Whether `address` lies between `start` and `end` (same family).
    public func contains(_ address: IPAddress) -> Bool { start <= address && address <= end }
}
