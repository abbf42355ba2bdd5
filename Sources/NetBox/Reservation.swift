/// One host reservation: an interface with a MAC address holding an address of its own device or VM — the primary
/// IPv4 or IPv6 address, the device's out-of-band IP, or any other address of the interface (`reason` says which).
/// A dual-stacked host yields two reservations, one per family.
public struct Reservation: Hashable, Sendable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case device, vm }

    /// Why the address is a reservation. The order is the precedence when two candidates conflict.
    public enum Reason: String, Sendable, Hashable, CaseIterable, Comparable {
        /// The device's or VM's primary IPv4 or IPv6 address.
        case primary
        /// The device's out-of-band IP (`oob_ip`, NetBox 3.6+): a BMC (iDRAC, iLO, IPMI) on its own interface.
        case oob
        /// Any other address assigned to an interface that has a MAC.
        case interface

        /// A switch, not `allCases.firstIndex`: the conflict resolution compares ranks of every candidate, and the
        /// array behind `allCases` was built on each call.
        var rank: Int {
            switch self {
            case .primary: 0
            case .oob: 1
            case .interface: 2
            }
        }
        public static func < (a: Reason, b: Reason) -> Bool { a.rank < b.rank }
    }

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
    public var reason: Reason
    /// The device or VM: role, platform, type, status, tags, custom fields.
    public var host: HostDetails
    /// The interface: tags, custom fields, untagged VLAN.
    public var interfaceDetails: InterfaceDetails

    /// The subnet the address sits in according to its own mask; nil only if `prefixLength` is out of range.
    public var subnet: IPPrefix? { IPPrefix(address: ip, length: prefixLength) }
}

// In an extension, so that the struct keeps its memberwise initializer, which this module's decoders use: this
// initializer copies `self` on the way out (a retain and a release of every String, array and dictionary of each
// reservation: 0.12 G instructions of a render from a 100,000-reservation snapshot), the memberwise one builds it
// in place. Measured with Swift 6.3.1 (callgrind); benchmarks/README.md.
extension Reservation {
    public init(ipID: Int, ip: IPAddress, prefixLength: Int, mac: MACAddress, hostname: String, dnsName: String,
                name: String, kind: Kind, interface: String, site: String? = nil, tenant: String? = nil,
                vrf: String? = nil, status: String = "active", description: String = "", tags: [String] = [],
                customFields: [String: JSONValue] = [:], reason: Reason = .primary, host: HostDetails = HostDetails(),
                interfaceDetails: InterfaceDetails = InterfaceDetails()) {
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
        self.reason = reason
        self.host = host
        self.interfaceDetails = interfaceDetails
    }
}
