import Templating

/// The member sets of the NetBox objects templates see, and the signatures of the lookups: what `lint` checks
/// without data, in every branch. The value types' `memberNames` come from here, so the two cannot drift apart.
enum NetBoxShapes {
    static let ipAddress = ObjectShape(typeName: "IP address", members: [("family", .integer), ("text", .string)])

    static let ipPrefix = ObjectShape(typeName: "IP prefix", members: [
        ("family", .integer), ("length", .integer), ("network", .object(ipAddress)), ("last", .object(ipAddress)),
        ("text", .string),
    ])

    /// Nullable NetBox fields (vrf, site, …) are `unknown`: a string or null, decided by data.
    private static let prefixMembers: [(String, ValueShape)] = [
        ("id", .integer), ("prefix", .object(ipPrefix)), ("network", .object(ipAddress)), ("length", .integer),
        ("family", .integer), ("vrf", .unknown), ("status", .string), ("site", .unknown), ("tenant", .unknown),
        ("role", .unknown), ("is_pool", .boolean), ("description", .string), ("tags", .list(of: .string)),
        ("custom_fields", .map(keys: nil)), ("vlan", .unknown), ("vlan_name", .unknown),
        ("inherited_custom_fields", .map(keys: nil)),
    ]

    /// `parents` holds prefixes again; one level is spelt out for the checker, deeper ones are unchecked.
    static let prefix = ObjectShape(typeName: "NetBox prefix", members: prefixMembers + [
        ("parents", .list(of: .object(ObjectShape(typeName: "NetBox prefix",
                                                  members: prefixMembers + [("parents", .list(of: .unknown))])))),
    ])

    static let ipRange = ObjectShape(typeName: "NetBox IP range", members: [
        ("id", .integer), ("start", .object(ipAddress)), ("end", .object(ipAddress)), ("family", .integer),
        ("vrf", .unknown), ("status", .string), ("role", .unknown), ("description", .string),
        ("tags", .list(of: .string)), ("custom_fields", .map(keys: nil)),
    ])

    static let reservation = ObjectShape(typeName: "reservation",
                                         members: ReservationMember.allCases.map { ($0.name, $0.shape) })

    static let reservations = FunctionSignature(
        parameters: ["subnet", "vrf", "status", "tag", "site", "tenant", "kind", "reason", "role", "platform",
                     "duid", "client_id"], positionalCount: 1,
        returns: .list(of: .object(reservation)))
    static let prefixes = FunctionSignature(
        parameters: ["family", "tag", "site", "vrf", "role", "tenant", "status"], positionalCount: 0,
        returns: .list(of: .object(prefix)))
    /// One prefix or null: `unknown`, since members of null are a render-time question.
    static let onePrefix = FunctionSignature(parameters: ["prefix", "vrf"], positionalCount: 1, returns: .unknown)
    static let ranges = FunctionSignature(
        parameters: ["within", "status", "vrf", "role", "tag", "family"], positionalCount: 1,
        returns: .list(of: .object(ipRange)))
}
