/// Turns query rows into model values. Bad data in a row becomes a DataWarning and the row is skipped (or a field
/// replaced), never a failed run; only rows that contradict the query itself throw.
enum RowDecoding {
    static func reservation(_ row: Row, kind: Reservation.Kind, warnings: inout [DataWarning]) throws(ColumnError)
        -> Reservation?
    {
        let ipID = try row.requiredInt("ip_id")
        let ipText = try row.requiredString("ip")
        let length = try row.requiredInt("prefix_length")
        let dnsName = try row.string("dns_name") ?? ""
        let ownerID = try row.requiredInt("owner_id")
        let interface = try row.requiredString("interface")
        let ownerWord = kind == .device ? "device" : "VM"

        var name = try row.string("owner_name") ?? ""
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
        let objects = "\(ownerWord) \(JSONTextWriter.quote(name)) interface \(JSONTextWriter.quote(interface)) "
            + "IP \(ipText)/\(length) (IP id \(ipID))"
        guard let ip = IPAddress(ipText), (0...ip.family.bitWidth).contains(length) else {
            warnings.append(DataWarning(.invalidValue, "\(objects): address not understood; no reservation"))
            return nil
        }
        guard let macText = try row.string("mac") else {
            let macCount = try row.int("mac_count") ?? 0
            let why = macCount > 0
                ? "has \(macCount) MAC address\(macCount == 1 ? "" : "es") but none is its primary MAC"
                : "has no MAC address"
            warnings.append(DataWarning(.missingMAC, "\(objects): the interface holding the primary IP \(why); no reservation"))
            return nil
        }
        guard let mac = MACAddress(macText) else {
            warnings.append(DataWarning(.invalidValue, "\(objects): MAC \(JSONTextWriter.quote(macText)) is not valid; no reservation"))
            return nil
        }
        guard mac.isAssignable else {
            warnings.append(DataWarning(.invalidValue, """
                \(objects): MAC \(mac) is \(mac.value == 0 ? "all zeros" : "a multicast or broadcast address"), not a \
                NIC's address; no reservation
                """))
            return nil
        }
        return Reservation(
            ipID: ipID, ip: ip, prefixLength: length, mac: mac, hostname: dnsName.isEmpty ? name : dnsName,
            dnsName: dnsName, name: name, kind: kind, interface: interface, site: try row.string("site"),
            tenant: try row.string("tenant"), vrf: try row.string("vrf"), status: try row.requiredString("status"),
            description: try row.string("description") ?? "", tags: try tags(row),
            customFields: try customFields(row, object: objects, warnings: &warnings))
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
            tags: try tags(row), customFields: try customFields(row, object: "prefix \(text) (id \(id))", warnings: &warnings))
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
            description: try row.string("description") ?? "", tags: try tags(row),
            customFields: try customFields(row, object: objects, warnings: &warnings))
    }

    /// The aggregated slugs (a JSON array, NULL when the object has no tags), sorted by the server.
    private static func tags(_ row: Row) throws(ColumnError) -> [String] {
        guard let text = try row.string("tags") else { return [] }
        guard case .array(let values)? = try? JSONValue.parse(text) else {
            throw ColumnError(column: "tags", problem: "not a JSON array")
        }
        return values.compactMap { value in
            if case .string(let slug) = value { return slug }
            return nil
        }
    }

    private static func customFields(_ row: Row, object: String, warnings: inout [DataWarning]) throws(ColumnError)
        -> [String: JSONValue]
    {
        guard let text = try row.string("custom_fields") else { return [:] }
        switch try? JSONValue.parse(text) {
        case .object(let fields)?:
            return fields
        case .null?:
            return [:]
        default:
            warnings.append(DataWarning(.invalidCustomFields, "\(object): custom_field_data is not a JSON object; ignored"))
            return [:]
        }
    }
}
