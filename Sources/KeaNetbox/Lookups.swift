import Diagnostics
import NetBox
import Templating

/// The NetBox query layer as a template sees it (DESIGN.md §2, "Lookups"): `reservations`, `prefixes`, `prefix`,
/// `ranges` and the `netbox` global, all served from one `NetBoxIndex` built per render.
struct Lookups: Sendable {
    let index: NetBoxIndex
    /// Where the subnets asked for are recorded, when the caller wants to know (install and render do).
    var log: LookupLog? = nil
    /// What the lookups find wrong in the data they read (identifiers that do not parse).
    var warnings = LookupWarnings()

    var functions: [TemplateFunction] {
        [
            TemplateFunction("reservations", signature: NetBoxShapes.reservations) {
                try reservations(LookupArguments($0, function: "reservations"))
            },
            TemplateFunction("prefixes", signature: NetBoxShapes.prefixes) {
                try prefixes(LookupArguments($0, function: "prefixes"))
            },
            TemplateFunction("prefix", signature: NetBoxShapes.onePrefix) {
                try prefix(LookupArguments($0, function: "prefix"))
            },
            TemplateFunction("ranges", signature: NetBoxShapes.ranges) {
                try ranges(LookupArguments($0, function: "ranges"))
            },
        ]
    }

    var globals: [String: Value] {
        ["netbox": .map(ValueMap([("schema", .string(index.schema))]))]
    }

    /// The addresses `reservations()` returns without `reason=`: what operators expect to be reserved. Every other
    /// address of an interface with a MAC only on request (`reason=["primary", "oob", "interface"]`, or null).
    static let defaultReasons: [String] = [Reservation.Reason.primary.rawValue, Reservation.Reason.oob.rawValue]

    /// `reservations(subnet, vrf=null, status="active", reason=["primary", "oob"], tag=…, site=…, tenant=…, kind=…,
    /// role=…, platform=…, duid=…, client_id=…)`
    func reservations(_ arguments: LookupArguments) throws -> Value {
        try arguments.allow(positional: 1, named: NetBoxShapes.reservations.parameters)
        let (subnet, vrf) = try arguments.subnet(position: 0, name: "subnet")
        log?.record(subnet, vrf: vrf)
        let filter = try RecordFilter(arguments, defaultStatus: "active")
        let tenant = try arguments.optionalString("tenant")
        let kind = try arguments.optionalString("kind")
        let role = try arguments.optionalString("role")
        let platform = try arguments.optionalString("platform")
        let reasons = try arguments.stringList("reason", default: Lookups.defaultReasons)
        for reason in reasons ?? [] where Reservation.Reason(rawValue: reason) == nil {
            throw arguments.fail("'reason' \(JSONString.quoted(reason)) is not one of \"primary\", \"oob\", \"interface\"")
        }
        let identifiers = try ReservationIdentifiers(arguments, warnings: warnings)
        guard let (table, range) = index.reservationPositions(in: subnet, vrf: vrf) else { return .list([]) }
        var values: [Value] = []
        values.reserveCapacity(range.count)
        table.items.withUnsafeBufferPointer { items in
            // Fields read in place: a local copy of each reservation would retain and release all its strings.
            for position in range {
                guard filter.matches(status: items[position].status, tags: items[position].tags, site: items[position].site),
                      reasons?.contains(items[position].reason.rawValue) ?? true,
                      tenant == nil || items[position].tenant == tenant,
                      kind == nil || items[position].kind.rawValue == kind,
                      role == nil || items[position].host.role == role,
                      platform == nil || items[position].host.platform == platform
                else { continue }
                values.append(.object(identifiers.value(table: table, position: position)))
            }
        }
        return .list(values)
    }

    /// `prefixes(family=null, tag=…, site=…, vrf=…, role=…, status="active")`. Without `vrf`, every VRF.
    func prefixes(_ arguments: LookupArguments) throws -> Value {
        try arguments.allow(positional: 0, named: ["family", "tag", "site", "vrf", "role", "tenant", "status"])
        let family = try arguments.family()
        let filter = try RecordFilter(arguments, defaultStatus: "active")
        let vrf = try arguments.vrfFilter()
        let role = try arguments.optionalString("role")
        let tenant = try arguments.optionalString("tenant")
        let tree = index.prefixTree
        return .list(tree.items.indices.compactMap { position in
            let prefix = tree.items[position]
            guard family == nil || prefix.family == family,
                  filter.matches(status: prefix.status, tags: prefix.tags, site: prefix.site),
                  vrf.matches(prefix.vrf),
                  role == nil || prefix.role == role,
                  tenant == nil || prefix.tenant == tenant
            else { return nil }
            return .object(PrefixValue(tree: tree, position: position))
        })
    }

    /// `prefix("192.0.2.0/24", vrf=null)`: one NetBox prefix, or null when NetBox does not have it.
    func prefix(_ arguments: LookupArguments) throws -> Value {
        try arguments.allow(positional: 1, named: ["prefix", "vrf"])
        let (subnet, vrf) = try arguments.subnet(position: 0, name: "prefix")
        return index.prefix(subnet, vrf: vrf).map { .object(PrefixValue(tree: index.prefixTree, position: $0)) } ?? .null
    }

    /// `ranges(within=subnet, status="active", vrf=…, role=…, tag=…, family=…)`
    func ranges(_ arguments: LookupArguments) throws -> Value {
        try arguments.allow(positional: 1, named: ["within", "status", "vrf", "role", "tag", "family"])
        let filter = try RecordFilter(arguments, defaultStatus: "active", allowsSite: false)
        let role = try arguments.optionalString("role")
        let family = try arguments.family()
        let candidates: [IPRange]
        let vrf: VRFFilter
        if arguments.has(position: 0, name: "within") {
            let (subnet, subnetVRF) = try arguments.subnet(position: 0, name: "within")
            candidates = index.ranges(within: subnet, vrf: subnetVRF)
            vrf = .any
        } else {
            candidates = index.allRanges
            vrf = try arguments.vrfFilter()
        }
        return .list(candidates.compactMap { range in
            guard filter.matches(status: range.status, tags: range.tags, site: nil),
                  vrf.matches(range.vrf),
                  role == nil || range.role == role,
                  family == nil || range.family == family
            else { return nil }
            return .object(IPRangeValue(range: range))
        })
    }
}

/// The status / tag / site filters shared by the lookups. `status=null` means any status; `tag` and `status`
/// take one value or a list (a list of tags must all be present; a list of statuses accepts any of them).
struct RecordFilter {
    let statuses: [String]?
    let tags: [String]
    let site: String?

    init(_ arguments: LookupArguments, defaultStatus: String, allowsSite: Bool = true) throws {
        statuses = try arguments.stringList("status", default: [defaultStatus])
        tags = try arguments.stringList("tag", default: nil) ?? []
        site = allowsSite ? try arguments.optionalString("site") : nil
    }

    func matches(status: String, tags candidateTags: [String], site candidateSite: String?) -> Bool {
        if let statuses, !statuses.contains(status) { return false }
        if !tags.allSatisfy(candidateTags.contains) { return false }
        if let site, candidateSite != site { return false }
        return true
    }
}

/// Which VRFs a list lookup keeps: without the argument every VRF, `vrf=null` only the global table.
enum VRFFilter {
    case any
    case only(String?)

    func matches(_ vrf: String?) -> Bool {
        switch self {
        case .any: true
        case .only(let wanted): vrf == wanted
        }
    }
}
