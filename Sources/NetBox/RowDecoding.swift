import Diagnostics
/// Turns query rows into model values. Bad data in a row becomes a DataWarning and the row is skipped (or a field
/// replaced), never a failed run; only rows that contradict the query itself throw.
enum RowDecoding {
    /// The columns of a primary-address query, found once per query rather than by name for every field.
    struct ReservationColumns {
        let ipID, ip, prefixLength, dnsName, ownerID, ownerName, interface, mac, macCount, site, tenant, vrf, status,
            description, tags, customFields: Column

        init(_ result: QueryResult) throws(ColumnError) {
            ipID = try result.column("ip_id")
            ip = try result.column("ip")
            prefixLength = try result.column("prefix_length")
            dnsName = try result.column("dns_name")
            ownerID = try result.column("owner_id")
            ownerName = try result.column("owner_name")
            interface = try result.column("interface")
            mac = try result.column("mac")
            macCount = try result.column("mac_count")
            site = try result.column("site")
            tenant = try result.column("tenant")
            vrf = try result.column("vrf")
            status = try result.column("status")
            description = try result.column("description")
            tags = try result.column("tags")
            customFields = try result.column("custom_fields")
        }
    }

    static func reservation(_ row: Row, _ columns: ReservationColumns, kind: Reservation.Kind,
                            warnings: inout [DataWarning]) throws(ColumnError) -> Reservation?
    {
        let ipID = try row.requiredInt(columns.ipID)
        let ipText = try row.requiredString(columns.ip)
        let length = try row.requiredInt(columns.prefixLength)
        let dnsName = row.string(columns.dnsName) ?? ""
        let ownerID = try row.requiredInt(columns.ownerID)
        let interface = try row.requiredString(columns.interface)
        let ownerWord = kind == .device ? "device" : "VM"

        var name = row.string(columns.ownerName) ?? ""
        if name.isEmpty {
            let substitute = dnsName.isEmpty ? "\(kind == .device ? "device" : "vm")-\(ownerID)" : dnsName
            if dnsName.isEmpty {
                warnings.append(DataWarning(.missingName, """
                    \(ownerWord) id \(ownerID) has no name; its reservation for IP \(ipText)/\(length) (IP id \(ipID)) \
                    uses the name "\(substitute)"
                    """))
            }
            name = substitute
        }
        // Built only when a warning needs it: most rows have none.
        func objects() -> String {
            "\(ownerWord) \(JSONString.quoted(name)) interface \(JSONString.quoted(interface)) "
                + "IP \(ipText)/\(length) (IP id \(ipID))"
        }
        guard let ip = IPAddress(ipText), (0...ip.family.bitWidth).contains(length) else {
            warnings.append(DataWarning(.invalidValue, "\(objects()): address not understood; no reservation"))
            return nil
        }
        guard let macText = row.string(columns.mac) else {
            let macCount = try row.int(columns.macCount) ?? 0
            let why = macCount > 0
                ? "has \(macCount) MAC address\(macCount == 1 ? "" : "es") but none is its primary MAC"
                : "has no MAC address"
            warnings.append(DataWarning(.missingMAC, "\(objects()): the interface holding the primary IP \(why); no reservation",
                                        subject: objects(), address: ip, vrf: row.string(columns.vrf)))
            return nil
        }
        guard let mac = MACAddress(macText) else {
            warnings.append(DataWarning(.invalidValue, "\(objects()): MAC \(JSONString.quoted(macText)) is not valid; no reservation",
                                        subject: objects(), address: ip, vrf: row.string(columns.vrf)))
            return nil
        }
        guard mac.isAssignable else {
            warnings.append(DataWarning(.invalidValue, """
                \(objects()): MAC \(mac) is \(mac.value == 0 ? "all zeros" : "a multicast or broadcast address"), not a \
                NIC's address; no reservation
                """, subject: objects(), address: ip, vrf: row.string(columns.vrf)))
            return nil
        }
        return Reservation(
            ipID: ipID, ip: ip, prefixLength: length, mac: mac, hostname: dnsName.isEmpty ? name : dnsName,
            dnsName: dnsName, name: name, kind: kind, interface: interface, site: row.string(columns.site),
            tenant: row.string(columns.tenant), vrf: row.string(columns.vrf),
            status: try row.requiredString(columns.status), description: row.string(columns.description) ?? "",
            tags: try tags(row.string(columns.tags)),
            customFields: customFields(row.string(columns.customFields), object: objects, warnings: &warnings))
    }

    static func prefix(_ row: Row, warnings: inout [DataWarning]) throws(ColumnError) -> Prefix? {
        let id = try row.requiredInt("id")
        let text = try row.requiredString("prefix")
        guard let prefix = IPPrefix(text) else {
            warnings.append(DataWarning(.invalidValue, "prefix \(text) (id \(id)): not understood; skipped"))
            return nil
        }
        return Prefix(
            id: id, prefix: prefix, vrf: try row.string("vrf"), status: try row.requiredString("status"),
            site: try row.string("site"), tenant: try row.string("tenant"), role: try row.string("role"),
            isPool: try row.bool("is_pool") ?? false, description: try row.string("description") ?? "",
            tags: try tags(row.string("tags")),
            customFields: customFields(try row.string("custom_fields"), object: { "prefix \(text) (id \(id))" },
                                       warnings: &warnings))
    }

    static func ipRange(_ row: Row, warnings: inout [DataWarning]) throws(ColumnError) -> IPRange? {
        let id = try row.requiredInt("id")
        let startText = try row.requiredString("start_address")
        let endText = try row.requiredString("end_address")
        let objects = "IP range \(startText)-\(endText) (id \(id))"
        guard let start = IPAddress(startText), let end = IPAddress(endText), start.family == end.family, start <= end
        else {
            warnings.append(DataWarning(.invalidValue, "\(objects): not a valid range; skipped"))
            return nil
        }
        return IPRange(
            id: id, start: start, end: end, vrf: try row.string("vrf"), status: try row.requiredString("status"),
            tenant: try row.string("tenant"), role: try row.string("role"),
            description: try row.string("description") ?? "", tags: try tags(row.string("tags")),
            customFields: customFields(try row.string("custom_fields"), object: { objects }, warnings: &warnings))
    }

    /// The aggregated slugs (a JSON array, NULL when the object has no tags), sorted by the server.
    private static func tags(_ text: String?) throws(ColumnError) -> [String] {
        guard let text else { return [] }
        guard case .array(let values)? = try? JSONValue.parse(text) else {
            throw ColumnError(column: "tags", problem: "not a JSON array")
        }
        return values.compactMap { value in
            if case .string(let slug) = value { return slug }
            return nil
        }
    }

    /// `object` names the row for the warning; it is only called when there is one.
    private static func customFields(_ text: String?, object: () -> String, warnings: inout [DataWarning])
        -> [String: JSONValue]
    {
        guard let text else { return [:] }
        switch try? JSONValue.parse(text) {
        case .object(let fields)?:
            return fields
        case .null?:
            return [:]
        default:
            warnings.append(DataWarning(.invalidCustomFields, "\(object()): custom_field_data is not a JSON object; ignored"))
            return [:]
        }
    }
}
