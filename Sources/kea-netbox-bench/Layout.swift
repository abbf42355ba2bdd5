import NetBox

/// The generated NetBox data, defined by formulas of the entity number so that the in-memory snapshot (render
/// bench) and the SQL that fills the database (read bench) describe the same hosts without sharing state.
///
/// Entity `j` (0 ..< count) is one host with one reservation: IPv4 for the first `v4Count`, IPv6 for the rest;
/// every tenth is a VM, the others devices. IPv4 hosts fill /24s `10.x.y.0/24` (addresses .10 upwards), IPv6 hosts
/// fill /64s `2001:db8:0:k::/64` (from ::1000). The seed changes the MAC addresses.
struct Layout: CustomStringConvertible {
    let count: Int
    let v4Count: Int
    let v4Subnets: Int
    let v6Subnets: Int
    let perV4Subnet: Int
    let perV6Subnet: Int
    let seed: Int

    /// Hosts per /24 stay at or under this, leaving .240-.250 for the pool (an IP range) of each subnet.
    static let maxPerV4Subnet = 230
    /// IPv6 hosts per /64 stay at or under this, so the host part (from ::1000) fits one group.
    static let maxPerV6Subnet = 0xffff - 0x1000
    static let siteCount = 8
    static let tenantCount = 4

    init(count: Int, v6Fraction: Double, v4Subnets: Int, v6Subnets: Int, seed: Int) {
        self.count = count
        let v6Count = min(count, max(0, Int((Double(count) * v6Fraction).rounded())))
        v4Count = count - v6Count
        // More /24s when the requested number cannot hold the IPv4 hosts.
        let neededV4 = (v4Count + Layout.maxPerV4Subnet - 1) / Layout.maxPerV4Subnet
        self.v4Subnets = max(1, v4Subnets, neededV4)
        self.v6Subnets = max(1, v6Subnets, (v6Count + Layout.maxPerV6Subnet - 1) / Layout.maxPerV6Subnet)
        perV4Subnet = max(1, (v4Count + self.v4Subnets - 1) / self.v4Subnets)
        perV6Subnet = max(1, (v6Count + self.v6Subnets - 1) / self.v6Subnets)
        self.seed = seed
    }

    var v6Count: Int { count - v4Count }

    var description: String {
        "\(count) reservations (\(v4Count) IPv4 in \(v4Subnets) /24s, \(v6Count) IPv6 in \(v6Subnets) /64s), seed \(seed)"
    }

    // MARK: Per-entity formulas (mirrored in `DatabaseFiller`'s SQL)

    func isVM(_ j: Int) -> Bool { j % 10 == 9 }

    /// The 32 low bits of the MAC `02:00:xx:xx:xx:xx`: a bijection of `j` for a fixed seed, so MACs never repeat.
    func macLow(_ j: Int) -> UInt64 { UInt64((j + seed * 7919) * 2_654_435_761 % 4_294_967_296) }

    func ip(_ j: Int) -> IPAddress {
        if j < v4Count {
            let subnet = j / perV4Subnet
            return IPAddress(v4: UInt32(10 << 24 | subnet << 8 | (10 + j % perV4Subnet)))
        }
        let i = j - v4Count
        return IPAddress(v6High: 0x2001_0db8_0000_0000 | UInt64(i / perV6Subnet), low: UInt64(0x1000 + i % perV6Subnet))
    }

    func name(_ j: Int) -> String { isVM(j) ? "vm-\(j)" : "dev-\(j)" }
    func interface(_ j: Int) -> String { isVM(j) ? "ens3" : "eth0" }
    func dnsName(_ j: Int) -> String { j % 2 == 0 ? "host-\(j).example.net" : "" }
    func site(_ j: Int) -> String { "site\(j % Layout.siteCount + 1)" }
    func tenant(_ j: Int) -> String? { j % 3 == 0 ? "tenant\(j % Layout.tenantCount + 1)" : nil }
    func tags(_ j: Int) -> [String] { j % 30 == 0 ? ["dhcp", "pxe"] : j % 10 == 0 ? ["dhcp"] : [] }
    func customFields(_ j: Int) -> [String: JSONValue] { j % 5 == 0 ? ["boot_file": .string("pxelinux.0")] : [:] }

    func v4Subnet(_ k: Int) -> IPPrefix? { IPPrefix(address: IPAddress(v4: UInt32(10 << 24 | k << 8)), length: 24) }
    func v6Subnet(_ k: Int) -> IPPrefix? {
        IPPrefix(address: IPAddress(v6High: 0x2001_0db8_0000_0000 | UInt64(k), low: 0), length: 64)
    }

    // MARK: The snapshot

    func snapshot() -> Snapshot {
        var reservations: [Reservation] = []
        reservations.reserveCapacity(count)
        for j in 0..<count {
            guard let mac = MACAddress(value: 0x0200_0000_0000 | macLow(j)) else { continue }
            let dns = dnsName(j)
            reservations.append(Reservation(
                ipID: j + 1, ip: ip(j), prefixLength: j < v4Count ? 24 : 64, mac: mac,
                hostname: dns.isEmpty ? name(j) : dns, dnsName: dns, name: name(j), kind: isVM(j) ? .vm : .device,
                interface: interface(j), site: site(j), tenant: tenant(j), tags: tags(j),
                customFields: customFields(j), host: HostDetails(status: "active")))
        }
        var prefixes: [Prefix] = []
        var ranges: [IPRange] = []
        for k in 0..<v4Subnets {
            guard let subnet = v4Subnet(k) else { continue }
            prefixes.append(Prefix(id: k + 1, prefix: subnet, site: "site\(k % Layout.siteCount + 1)", tags: ["dhcp"]))
            let base = UInt32(10 << 24 | k << 8)
            ranges.append(IPRange(id: k + 1, start: IPAddress(v4: base | 240), end: IPAddress(v4: base | 250)))
        }
        for k in 0..<v6Subnets {
            guard let subnet = v6Subnet(k) else { continue }
            prefixes.append(Prefix(id: v4Subnets + k + 1, prefix: subnet, site: "site\(k % Layout.siteCount + 1)",
                                   tags: ["dhcp"]))
        }
        return Snapshot(schema: "4.2+", prefixes: prefixes, ipRanges: ranges, reservations: reservations).sorted()
    }
}
