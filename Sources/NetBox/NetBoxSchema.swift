import PostgreSQL

/// The schema generation of a NetBox database, told from the catalog rather than a version string: what matters is
/// which tables and columns exist, and a catalog cannot lie about that (netbox-facts.md).
struct NetBoxSchema: Sendable, Equatable {
    /// NetBox >= 4.2: MACs live in `dcim_macaddress`, the interface points at its primary one.
    /// Before: the interface's own `mac_address` column.
    var macAddressModel: Bool
    /// `ipam_prefix` site column: `site_id` before 4.2, the cached `_site_id` of the scope from 4.2.
    var prefixSiteColumn: String?
    /// `virtualization_virtualmachine.site_id` exists from 3.3; before, a VM's site is its cluster's.
    var virtualMachineHasSite: Bool
    /// `virtualization_cluster` site column (`site_id` before 4.2, the scope's cached `_site_id` from 4.2): a VM's
    /// site when it has none of its own.
    var clusterSiteColumn: String?
    /// `dcim_device` role column: `device_role_id` before 3.6, `role_id` from 3.6.
    var deviceRoleColumn: String
    /// `dcim_device.oob_ip_id` (the out-of-band IP) exists from 3.6.
    var deviceHasOOB: Bool
    /// NetBox's change log: `core_objectchange` from 4.1 (moved from extras), `extras_objectchange` before; nil when
    /// neither is visible (the change probe then relies on the table counters alone).
    var changeLogTable: String? = nil

    /// Shown to templates as `netbox.schema`: the generation says which fields a template can expect (no
    /// out-of-band IPs before 3.6, no VM site of its own before 3.3).
    var label: String {
        if macAddressModel { return "4.2+" }
        if deviceHasOOB { return "3.6-4.1" }
        return virtualMachineHasSite ? "3.3-3.5" : "3.0-3.2"
    }

    /// Tables the reader's queries touch for this generation; the read-only role needs SELECT on each.
    var tables: [String] {
        var tables = NetBoxSchema.baseTables
        if macAddressModel { tables.append("dcim_macaddress") }
        if clusterSiteColumn != nil { tables.append("virtualization_cluster") }
        return tables
    }

    static let baseTables = [
        "django_content_type", "dcim_device", "dcim_interface", "dcim_site", "tenancy_tenant", "ipam_ipaddress",
        "ipam_vrf", "ipam_prefix", "ipam_iprange", "ipam_role", "extras_tag", "extras_taggeditem",
        "virtualization_virtualmachine", "virtualization_vminterface", "dcim_devicerole", "dcim_platform",
        "dcim_devicetype", "dcim_manufacturer", "ipam_vlan",
    ]

    /// Newest first: a database migrated to 4.1 has only the core one.
    static let changeLogTables = ["core_objectchange", "extras_objectchange"]

    /// Columns present per table, as detected.
    typealias Catalog = [String: Set<String>]

    /// Reads table and column names from pg_catalog. Not information_schema: it hides the columns of tables the role
    /// has no privilege on, which would turn a missing GRANT into a misleading "table not found".
    static func readCatalog(_ connection: PostgresConnection) throws(PostgresError) -> Catalog {
        let names = (baseTables + ["dcim_macaddress", "virtualization_cluster"] + changeLogTables).joined(separator: ",")
        let result = try connection.execute("""
            SELECT c.relname AS table_name, a.attname AS column_name
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND pg_catalog.pg_table_is_visible(c.oid)
              AND c.relname = ANY ($1::text[])
            """, ["{\(names)}"])
        var catalog: Catalog = [:]
        for row in result.rows {
            guard let table = row.values.first ?? nil, let column = row.values.last ?? nil else { continue }
            catalog[table, default: []].insert(column)
        }
        return catalog
    }

    /// Decides the generation from the catalog; throws a message naming what is missing when the database is not
    /// a NetBox (3.0 or later) database.
    static func detect(from catalog: Catalog) throws(DataSourceError) -> NetBoxSchema {
        let missing = baseTables.filter { catalog[$0] == nil }
        if !missing.isEmpty {
            throw DataSourceError(reason: .schema, message: """
                table\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) not found: is this the NetBox \
                database (NetBox 3.0 or later), and is its schema on the search_path?
                """)
        }
        func has(_ table: String, _ column: String) -> Bool { catalog[table]?.contains(column) ?? false }

        let macModel: Bool
        if has("dcim_interface", "primary_mac_address_id") && catalog["dcim_macaddress"] != nil
            && has("virtualization_vminterface", "primary_mac_address_id") {
            macModel = true
        } else if has("dcim_interface", "mac_address") && has("virtualization_vminterface", "mac_address") {
            macModel = false
        } else {
            throw DataSourceError(reason: .schema, message: """
                unsupported NetBox schema: dcim_interface has neither mac_address (NetBox < 4.2) nor \
                primary_mac_address_id with a dcim_macaddress table (NetBox >= 4.2)
                """)
        }
        let prefixSite = has("ipam_prefix", "_site_id") ? "_site_id" : has("ipam_prefix", "site_id") ? "site_id" : nil
        let vmSite = has("virtualization_virtualmachine", "site_id")
        let clusterSite = has("virtualization_cluster", "_site_id") ? "_site_id"
            : has("virtualization_cluster", "site_id") ? "site_id" : nil
        let changeLog = changeLogTables.first { has($0, "id") && has($0, "time") }
        return NetBoxSchema(macAddressModel: macModel, prefixSiteColumn: prefixSite, virtualMachineHasSite: vmSite,
                            clusterSiteColumn: clusterSite,
                            deviceRoleColumn: has("dcim_device", "role_id") ? "role_id" : "device_role_id",
                            deviceHasOOB: has("dcim_device", "oob_ip_id"), changeLogTable: changeLog)
    }
}
