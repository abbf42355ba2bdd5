/// One reservation as Kea's host database holds it: a row of `hosts` with its rows in `dhcp4_options` or
/// `dhcp6_options` and `ipv6_reservations`. Values are kept in the form kea-netbox writes them, so a reservation
/// read back from the database equals the rendered one exactly when nothing needs writing.
struct HostReservation: Sendable, Hashable {
    /// What Kea looks a host up by, and what the unique indexes `key_dhcp4_identifier_subnet_id` /
    /// `key_dhcp6_identifier_subnet_id` make unique.
    struct Key: Sendable, Hashable, Comparable, CustomStringConvertible {
        let family: KeaFamily
        /// 0 for global reservations (Kea's SUBNET_ID_GLOBAL).
        let subnetID: Int64
        let identifierType: HostIdentifierType
        let identifier: [UInt8]

        static func < (lhs: Key, rhs: Key) -> Bool {
            if lhs.family != rhs.family { return lhs.family.rawValue < rhs.family.rawValue }
            if lhs.subnetID != rhs.subnetID { return lhs.subnetID < rhs.subnetID }
            if lhs.identifierType != rhs.identifierType { return lhs.identifierType.rawValue < rhs.identifierType.rawValue }
            return lhs.identifier.lexicographicallyPrecedes(rhs.identifier)
        }

        /// `DHCPv4 subnet 12 hw-address 02:00:00:00:00:01`.
        var description: String {
            let scope = subnetID == 0 ? "global" : "subnet \(subnetID)"
            return "\(family) \(scope) \(identifierType.keyword) \(HostIdentifierType.hex(identifier))"
        }
    }

    let key: Key
    /// DHCPv4 only: the reserved address as Kea stores it (`ipv4_address`, an unsigned 32-bit number).
    var ipv4Address: UInt32?
    /// DHCPv6 only: addresses (IA_NA) and delegated prefixes (IA_PD), sorted.
    var ipv6: [IPv6Reservation]
    var hostname: String?
    /// Comma-separated, as Kea stores `dhcp4_client_classes` / `dhcp6_client_classes`.
    var clientClasses: String?
    var nextServer: UInt32?
    var serverHostname: String?
    var bootFileName: String?
    /// The `user_context` text: kea-netbox's mark first, then the template's own members.
    var userContext: String
    /// In the template's order.
    var options: [HostOption]
}

/// `host_identifier_type.type`, as `kea-admin db-init` fills it.
enum HostIdentifierType: Int, Sendable, Hashable, CaseIterable {
    case hwAddress = 0
    case duid = 1
    case circuitID = 2
    case clientID = 3
    case flexID = 4

    /// The reservation keyword of the config file.
    var keyword: String {
        switch self {
        case .hwAddress: return "hw-address"
        case .duid: return "duid"
        case .circuitID: return "circuit-id"
        case .clientID: return "client-id"
        case .flexID: return "flex-id"
        }
    }

    init?(keyword: String) {
        guard let type = Self.allCases.first(where: { $0.keyword == keyword }) else { return nil }
        self = type
    }

    static func hex(_ bytes: [UInt8], separator: String = ":") -> String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined(separator: separator)
    }

    static func bytes(hex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }
}

/// A row of `ipv6_reservations`: `type` 0 is an address (IA_NA, prefix length 128), 2 a delegated prefix (IA_PD).
struct IPv6Reservation: Sendable, Hashable, Comparable {
    let address: InetAddress
    let prefixLength: Int
    let type: Int

    static func < (lhs: IPv6Reservation, rhs: IPv6Reservation) -> Bool {
        (lhs.type, lhs.address, lhs.prefixLength) < (rhs.type, rhs.address, rhs.prefixLength)
    }
}

/// A row of `dhcp4_options` / `dhcp6_options` with `scope_id` 3 (host). Kea builds the option from
/// `formatted_value` (comma-separated, like `"data"` with `csv-format` true) when it is not empty, else from the
/// binary `value`.
struct HostOption: Sendable, Hashable {
    let code: Int
    let space: String
    let formattedValue: String?
    let value: [UInt8]?
    let persistent: Bool
}
