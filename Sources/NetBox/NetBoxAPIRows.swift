import PostgreSQL

/// Turns NetBox API objects into the rows `NetBoxQueries` selects (same column names, PostgreSQL's text forms), so
/// `RowDecoding` decodes both sources and every field, default and warning is the database reader's.
struct NetBoxAPIRows {
    typealias Object = [String: JSONValue]

    let hasScopes: Bool
    let customFields: NetBoxAPICustomFields
    /// Read only when a VM without its own site has a cluster, or a prefix or cluster is scoped to a location.
    var clusters: [Object] = []
    var locations: [Object] = []

    init(hasScopes: Bool, customFields: NetBoxAPICustomFields) {
        self.hasScopes = hasScopes
        self.customFields = customFields
    }

    static func byID(_ objects: [Object]) -> [Int: Object] {
        var index: [Int: Object] = [:]
        index.reserveCapacity(objects.count)
        for object in objects { if let id = object["id"].int { index[id] = object } }
        return index
    }

    /// The database takes a VM's site from its cluster when it has none of its own (NetBoxQueries).
    func needsClusterSite(_ machine: Object) -> Bool {
        machine["site"]["slug"] == nil && machine["cluster"]["id"].int != nil
    }

    static func isLocationScoped(_ object: Object) -> Bool { object["scope_type"].string == "dcim.location" }

    /// Rows of `NetBoxQueries.interfaceAddresses(of:)`: every address assigned to an interface of a device or VM
    /// where the interface has a (primary) MAC, plus the owner's primary and out-of-band addresses even without one,
    /// with `reason` decided against the interface's own device or VM; ordered by IP id.
    func interfaceAddresses(addresses: [Object], owners: [Object], interfaces: [Object], kind: Reservation.Kind)
        -> QueryResult
    {
        let interfaceType = kind == .device ? "dcim.interface" : "virtualization.vminterface"
        let ownerKey = kind == .device ? "device" : "virtual_machine"
        let interfacesByID = NetBoxAPIRows.byID(interfaces)
        let ownersByID = NetBoxAPIRows.byID(owners)
        let clusterSites = kind == .vm ? siteByID(clusters) : [:]
        var rows: [(ipID: Int, values: [String?])] = []
        for ip in addresses {
            guard ip["assigned_object_type"].string == interfaceType,
                  let ipID = ip["id"].int,
                  let interfaceID = ip["assigned_object_id"].int,
                  let interface = interfacesByID[interfaceID],
                  let ownerID = interface[ownerKey]["id"].int,
                  let owner = ownersByID[ownerID],
                  let address = ip["address"].string else { continue }
            let mac = interface["mac_address"].string
            let reason: String
            if owner["primary_ip4"]["id"].int == ipID || owner["primary_ip6"]["id"].int == ipID {
                reason = "primary"
            } else if owner["oob_ip"]["id"].int == ipID {
                reason = "oob"
            } else if mac != nil {
                reason = "interface"
            } else {
                continue
            }
            var macCount: String? = nil
            if mac == nil {
                if case .array(let all)? = interface["mac_addresses"] { macCount = "\(all.count)" } else { macCount = "0" }
            }
            var site = owner["site"]["slug"].string
            if site == nil, kind == .vm, let cluster = owner["cluster"]["id"].int {
                site = clusterSites[cluster] ?? nil
            }
            let (host, length) = NetBoxAPIRows.split(address)
            let vlan = interface["untagged_vlan"]
            rows.append((ipID, [
                "\(ipID)", host, length, ip["dns_name"].string,
                ip["status"].choiceValue, ip["description"].string,
                customFields.storedText(ip["custom_fields"]), ip["vrf"]["name"].string,
                ip["tenant"]["slug"].string ?? owner["tenant"]["slug"].string, site,
                "\(ownerID)", owner["name"].string, interface["name"].string, mac, macCount,
                ip["tags"].tagArray, reason,
                owner["role"]["slug"].string, owner["platform"]["slug"].string,
                owner["device_type"]["slug"].string, owner["device_type"]["manufacturer"]["slug"].string,
                owner["status"].choiceValue, owner["tags"].tagArray, customFields.storedText(owner["custom_fields"]),
                interface["tags"].tagArray, customFields.storedText(interface["custom_fields"]),
                vlan["vid"].int.map { "\($0)" }, vlan["name"].string,
            ]))
        }
        rows.sort { $0.ipID < $1.ipID }
        return NetBoxAPIRows.result([
            "ip_id", "ip", "prefix_length", "dns_name", "status", "description", "custom_fields", "vrf", "tenant",
            "site", "owner_id", "owner_name", "interface", "mac", "mac_count", "tags", "reason",
            "role", "platform", "device_type", "manufacturer", "host_status", "host_tags", "host_custom_fields",
            "interface_tags", "interface_custom_fields", "vlan", "vlan_name",
        ], rows.map(\.values))
    }

    /// Rows of `NetBoxQueries.prefixes`. From 4.2 the database's `_site_id` is the scope's site: the site itself,
    /// a location's site, nothing for a region or site group.
    func prefixes(_ objects: [Object]) -> QueryResult {
        let locationSites = siteByID(locations)
        return NetBoxAPIRows.result([
            "id", "prefix", "status", "is_pool", "description", "custom_fields", "vrf", "site", "tenant", "role", "tags",
            "vlan", "vlan_name",
        ], objects.map { prefix in
            let site = hasScopes ? scopeSite(prefix, locationSites: locationSites)
                : prefix["site"]["slug"].string
            return [
                prefix["id"].int.map { "\($0)" }, prefix["prefix"].string,
                prefix["status"].choiceValue, prefix["is_pool"].pgBool,
                prefix["description"].string, customFields.storedText(prefix["custom_fields"]),
                prefix["vrf"]["name"].string, site,
                prefix["tenant"]["slug"].string,
                prefix["role"]["slug"].string, prefix["tags"].tagArray,
                prefix["vlan"]["vid"].int.map { "\($0)" }, prefix["vlan"]["name"].string,
            ]
        })
    }

    /// Rows of `NetBoxQueries.ipRanges`.
    func ipRanges(_ objects: [Object]) -> QueryResult {
        NetBoxAPIRows.result([
            "id", "start_address", "end_address", "status", "description", "custom_fields", "vrf", "tenant", "role",
            "tags",
        ], objects.map { range in
            [
                range["id"].int.map { "\($0)" },
                range["start_address"].string.map { NetBoxAPIRows.split($0).host },
                range["end_address"].string.map { NetBoxAPIRows.split($0).host },
                range["status"].choiceValue, range["description"].string,
                customFields.storedText(range["custom_fields"]),
                range["vrf"]["name"].string,
                range["tenant"]["slug"].string,
                range["role"]["slug"].string, range["tags"].tagArray,
            ]
        })
    }

    /// Site slug per cluster (its scope's site from 4.2, its `site` before) or per location (its `site`).
    private func siteByID(_ objects: [Object]) -> [Int: String?] {
        let locationSites = objects.first?["scope_type"] != nil ? siteByID(locations) : [:]
        var sites: [Int: String?] = [:]
        for object in objects {
            guard let id = object["id"].int else { continue }
            sites[id] = object["scope_type"] != nil || object["scope"] != nil
                ? scopeSite(object, locationSites: locationSites)
                : object["site"]["slug"].string
        }
        return sites
    }

    private func scopeSite(_ object: Object, locationSites: [Int: String?]) -> String? {
        switch object["scope_type"].string {
        case "dcim.site"?:
            return object["scope"]["slug"].string
        case "dcim.location"?:
            return object["scope_id"].int.flatMap { locationSites[$0] ?? nil }
        default:
            return nil
        }
    }

    private static func result(_ columns: [String], _ rows: [[String?]]) -> QueryResult {
        QueryResult(columns: columns, values: rows)
    }

    /// `192.0.2.10/24` as PostgreSQL's `host()` and `masklen()` give it.
    static func split(_ address: String) -> (host: String, length: String?) {
        guard let slash = address.lastIndex(of: "/") else { return (address, nil) }
        return (String(address[..<slash]), String(address[address.index(after: slash)...]))
    }
}

/// Reading API answers: a missing key, a JSON null and a value of another type all read as nil, as SQL NULL would.
extension Optional where Wrapped == JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let object)? = self { return object[key] }
        return nil
    }

    var int: Int? {
        if case .integer(let number)? = self { return number }
        return nil
    }

    var string: String? {
        if case .string(let text)? = self { return text }
        return nil
    }

    /// A choice field (`{"value": "active", "label": "Active"}`) as the database stores it: the value.
    var choiceValue: String? { self["value"].string ?? string }

    /// PostgreSQL's text form of a boolean.
    var pgBool: String? {
        if case .bool(let flag)? = self { return flag ? "t" : "f" }
        return nil
    }

    /// The slugs as the database's `array_agg(slug)` gives them (RowDecoding sorts); NULL when there are none.
    var tagArray: String? {
        guard case .array(let tags)? = self else { return nil }
        let slugs = tags.compactMap { Optional($0)["slug"].string }
        return slugs.isEmpty ? nil : JSONValue.array(slugs.map(JSONValue.string)).jsonText
    }
}
