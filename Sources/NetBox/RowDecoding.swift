import Diagnostics
import PostgreSQL

/// Turns query rows into model values. Bad data in a row becomes a DataWarning and the row is skipped (or a field
/// replaced), never a failed run; only rows that contradict the query itself throw.
enum RowDecoding {
    /// The columns of a primary-address query, found once per query rather than by name for every field.
    struct ReservationColumns {
        let ipID, ip, prefixLength, dnsName, ownerID, ownerName, interface, mac, macCount, site, tenant, vrf, status,
            description, tags, customFields, reason, role, platform, deviceType, manufacturer, hostStatus, hostTags,
            hostCustomFields, interfaceTags, interfaceCustomFields, vlan, vlanName: Column

        init(_ names: [String]) throws(ColumnError) {
            func column(_ name: String) throws(ColumnError) -> Column { try Column(name, in: names) }
            ipID = try column("ip_id")
            ip = try column("ip")
            prefixLength = try column("prefix_length")
            dnsName = try column("dns_name")
            ownerID = try column("owner_id")
            ownerName = try column("owner_name")
            interface = try column("interface")
            mac = try column("mac")
            macCount = try column("mac_count")
            site = try column("site")
            tenant = try column("tenant")
            vrf = try column("vrf")
            status = try column("status")
            description = try column("description")
            tags = try column("tags")
            customFields = try column("custom_fields")
            reason = try column("reason")
            role = try column("role")
            platform = try column("platform")
            deviceType = try column("device_type")
            manufacturer = try column("manufacturer")
            hostStatus = try column("host_status")
            hostTags = try column("host_tags")
            hostCustomFields = try column("host_custom_fields")
            interfaceTags = try column("interface_tags")
            interfaceCustomFields = try column("interface_custom_fields")
            vlan = try column("vlan")
            vlanName = try column("vlan_name")
        }
    }

    /// The reservations of one address query (either reader's rows), appended to `candidates`: conflicts are
    /// resolved afterwards, across devices and VMs.
    static func reservations(_ result: QueryResult, kind: Reservation.Kind, into candidates: inout [Reservation],
                             warnings: inout [DataWarning]) throws(ColumnError) {
        let columns = try ReservationColumns(result.columns)
        candidates.reserveCapacity(candidates.count + result.rows.count)
        for row in result.rows {
            try reservation(row, columns, kind: kind, into: &candidates, warnings: &warnings)
        }
    }

    /// The row's reservation appended to `candidates`, or a warning saying why there is none. Built straight
    /// into the array: returned as an optional, every reservation was copied (each string retained) on its way in.
    static func reservation(_ row: Row, _ columns: ReservationColumns, kind: Reservation.Kind,
                            into candidates: inout [Reservation], warnings: inout [DataWarning]) throws(ColumnError)
    {
        let ipID = try row.requiredInt(columns.ipID)
        guard !row.isNull(columns.ip) else { throw ColumnError(column: columns.ip.name, problem: "unexpected NULL") }
        // Text for messages only; the address itself is parsed from the row's bytes.
        var ipText: String { row.string(columns.ip) ?? "" }
        let length = try row.requiredInt(columns.prefixLength)
        let dnsName = row.string(columns.dnsName) ?? ""
        let ownerID = try row.requiredInt(columns.ownerID)
        let interface = try row.requiredString(columns.interface)
        let ownerWord = kind == .device ? "device" : "VM"
        let reasonText = try row.requiredString(columns.reason)
        guard let reason = Reservation.Reason(rawValue: reasonText) else {
            throw ColumnError(column: "reason", problem: "\"\(reasonText)\" is not a reason")
        }

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
                + "IP \(ipText)/\(length) (IP id \(ipID)\(reason.objectsSuffix))"
        }
        guard let ip = row.withBytes(columns.ip, { $0.flatMap(IPAddress.init(utf8:)) }),
              (0...ip.family.bitWidth).contains(length) else {
            warnings.append(DataWarning(.invalidValue, "\(objects()): address not understood; no reservation"))
            return
        }
        guard !row.isNull(columns.mac) else {
            let macCount = try row.int(columns.macCount) ?? 0
            let why = macCount > 0
                ? "has \(macCount) MAC address\(macCount == 1 ? "" : "es") but none is its primary MAC"
                : "has no MAC address"
            let address = reason == .oob ? "out-of-band IP" : "primary IP"
            warnings.append(DataWarning(.missingMAC, "\(objects()): the interface holding the \(address) \(why); no reservation",
                                        subject: objects(), address: ip, vrf: row.string(columns.vrf)))
            return
        }
        let parsedMAC = row.withBytes(columns.mac) { $0.flatMap(MACAddress.init(utf8:)) }
        // An interface's other addresses repeat what its primary or out-of-band address already reported.
        if reason == .interface, !(parsedMAC?.isAssignable ?? false) { return }
        guard let mac = parsedMAC else {
            let macText = row.string(columns.mac) ?? ""
            warnings.append(DataWarning(.invalidValue, "\(objects()): MAC \(JSONString.quoted(macText)) is not valid; no reservation",
                                        subject: objects(), address: ip, vrf: row.string(columns.vrf)))
            return
        }
        guard mac.isAssignable else {
            warnings.append(DataWarning(.invalidValue, """
                \(objects()): MAC \(mac) is \(mac.value == 0 ? "all zeros" : "a multicast or broadcast address"), not a \
                NIC's address; no reservation
                """, subject: objects(), address: ip, vrf: row.string(columns.vrf)))
            return
        }
        // The memberwise initializer (see Reservation's extension for why).
        candidates.append(Reservation(
            ipID: ipID, ip: ip, prefixLength: length, family: ip.family, mac: mac,
            hostname: dnsName.isEmpty ? name : dnsName,
            dnsName: dnsName, name: name, kind: kind, interface: interface, site: row.string(columns.site),
            tenant: row.string(columns.tenant), vrf: row.string(columns.vrf),
            status: try row.requiredString(columns.status), description: row.string(columns.description) ?? "",
            tags: try tags(row, columns.tags),
            customFields: try customFields(row, columns.customFields, object: objects, warnings: &warnings),
            reason: reason,
            host: HostDetails(
                role: row.string(columns.role), platform: row.string(columns.platform),
                deviceType: row.string(columns.deviceType), manufacturer: row.string(columns.manufacturer),
                status: row.string(columns.hostStatus), tags: try tags(row, columns.hostTags),
                customFields: try customFields(row, columns.hostCustomFields,
                                           object: { "\(ownerWord) \(JSONString.quoted(name)) (id \(ownerID))" },
                                           warnings: &warnings)),
            interfaceDetails: InterfaceDetails(
                tags: try tags(row, columns.interfaceTags),
                customFields: try customFields(row, columns.interfaceCustomFields,
                                           object: { "\(ownerWord) \(JSONString.quoted(name)) interface \(JSONString.quoted(interface))" },
                                           warnings: &warnings),
                untaggedVLAN: try vlan(row, columns.vlan, columns.vlanName))))
    }

    private static func vlan(_ row: Row, _ vid: Column, _ name: Column) throws(ColumnError) -> VLAN? {
        guard let number = try row.int(vid) else { return nil }
        return VLAN(vid: number, name: row.string(name) ?? "")
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
            customFields: try customFields(try row.string("custom_fields"), object: { "prefix \(text) (id \(id))" },
                                       warnings: &warnings),
            vlan: try row.int("vlan").map { VLAN(vid: $0, name: (try? row.string("vlan_name")) ?? "") })
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
            customFields: try customFields(try row.string("custom_fields"), object: { objects }, warnings: &warnings))
    }

    /// The aggregated slugs (a JSON array, NULL when the object has no tags), sorted here by their bytes: the
    /// server's `ORDER BY` follows the database's collation (en_US ignores hyphens at first), the API's order its
    /// own, and both sources and both servers of an HA pair must give the same list.
    private static func tags(_ text: String?) throws(ColumnError) -> [String] {
        guard var text else { return [] }
        // withUTF8 throws untyped errors: the typed one travels in a Result.
        return try text.withUTF8 { bytes in Result { () throws(ColumnError) in try tags(bytes) } }.get()
    }

    /// `tags(_:)` of a column, parsed from the row's bytes.
    private static func tags(_ row: Row, _ column: Column) throws(ColumnError) -> [String] {
        try row.withBytes(column) { (bytes) throws(ColumnError) in try bytes.map(tags) ?? [] }
    }

    private static func tags(_ bytes: UnsafeBufferPointer<UInt8>) throws(ColumnError) -> [String] {
        guard case .array(let values)? = try? JSONTextParser.parse(utf8: bytes) else {
            throw ColumnError(column: "tags", problem: "not a JSON array")
        }
        return values.compactMap { value -> String? in
            if case .string(let slug) = value { return slug }
            return nil
        }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// `object` names the row for the warning; it is only called when there is one. Nesting beyond the parser's
    /// limit fails the read instead of being dropped with a warning: PostgreSQL's jsonb accepts it, and a template
    /// must not silently render without a field NetBox has.
    private static func customFields(_ text: String?, object: () -> String, warnings: inout [DataWarning])
        throws(ColumnError) -> [String: JSONValue]
    {
        guard var text else { return [:] }
        var found: [DataWarning] = []
        let fields = text.withUTF8 { bytes in
            Result { () throws(ColumnError) in try customFields(bytes, object: object, warnings: &found) }
        }
        warnings += found
        return try fields.get()
    }

    /// `customFields(_:object:warnings:)` of a column, parsed from the row's bytes.
    private static func customFields(_ row: Row, _ column: Column, object: () -> String,
                                     warnings: inout [DataWarning]) throws(ColumnError) -> [String: JSONValue] {
        try row.withBytes(column) { (bytes) throws(ColumnError) in
            guard let bytes else { return [:] }
            return try customFields(bytes, object: object, warnings: &warnings)
        }
    }

    private static func customFields(_ bytes: UnsafeBufferPointer<UInt8>, object: () -> String,
                                     warnings: inout [DataWarning]) throws(ColumnError) -> [String: JSONValue] {
        // Most objects have no custom fields (jsonb prints `{}`): no parser for those.
        if bytes.count == 2, bytes[0] == UInt8(ascii: "{"), bytes[1] == UInt8(ascii: "}") { return [:] }
        let parsed: JSONValue?
        do {
            parsed = try JSONTextParser.parse(utf8: bytes)
        } catch where error.isTooDeep {
            throw ColumnError(column: "custom_fields", problem: "\(object()): custom_field_data at \(error)",
                              isRefusedValue: true)
        } catch {
            parsed = nil
        }
        switch parsed {
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
