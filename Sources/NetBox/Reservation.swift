/// One host reservation: an interface with a MAC address whose device or VM has its primary IPv4 or IPv6 address on
/// that same interface (DESIGN §4). A dual-stacked host yields two reservations, one per family.
public struct Reservation: Hashable, Sendable {
    public enum Kind: String, Sendable, Hashable { case device, vm }

    /// NetBox id of the IP address object: stable, and the tie-breaker when data conflicts (lowest wins).
    public var ipID: Int
    public var ip: IPAddress
    /// The mask NetBox stores with the address; `subnet` is the network it implies.
    public var prefixLength: Int
    public var family: IPFamily
    public var mac: MACAddress
    /// `dnsName` when non-empty, else the device or VM name.
    public var hostname: String
    public var dnsName: String
    public var name: String
    public var kind: Kind
    public var interface: String
    /// Site slug.
    public var site: String?
    /// Tenant slug (of the IP address, else of the device or VM).
    public var tenant: String?
    /// VRF name; nil is the global table.
    public var vrf: String?
    /// The IP address's status (`active`, `reserved`, `dhcp`, …).
    public var status: String
    /// The IP address's description.
    public var description: String
    /// Tag slugs of the IP address, sorted.
    public var tags: [String]
    /// The IP address's `custom_field_data`.
    public var customFields: [String: JSONValue]

    public init(ipID: Int, ip: IPAddress, prefixLength: Int, mac: MACAddress, hostname: String, dnsName: String,
                name: String, kind: Kind, interface: String, site: String? = nil, tenant: String? = nil,
                vrf: String? = nil, status: String = "active", description: String = "", tags: [String] = [],
                customFields: [String: JSONValue] = [:]) {
        self.ipID = ipID
        self.ip = ip
        self.prefixLength = prefixLength
        self.family = ip.family
        self.mac = mac
        self.hostname = hostname
        self.dnsName = dnsName
        self.name = name
        self.kind = kind
        self.interface = interface
        self.site = site
        self.tenant = tenant
        self.vrf = vrf
        self.status = status
        self.description = description
        self.tags = tags
        self.customFields = customFields
    }

    /// The subnet the address sits in according to its own mask; nil only if `prefixLength` is out of range.
    public var subnet: IPPrefix? { IPPrefix(address: ip, length: prefixLength) }
}
