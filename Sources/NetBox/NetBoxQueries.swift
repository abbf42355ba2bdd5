/// The SQL the reader runs: one query per object kind, joins and tag aggregation done by the server, so the cost
/// does not grow with round trips. Content types are always found by (app_label, model): their ids differ between
/// installations. Columns are selected by name because their physical order differs between upgraded and fresh
/// databases.
struct NetBoxQueries {
    let schema: NetBoxSchema

    private static func contentType(_ app: String, _ model: String) -> String {
        "(SELECT id FROM django_content_type WHERE app_label = '\(app)' AND model = '\(model)')"
    }

    /// Tag slugs per object of one content type, sorted, as a JSON array (array_agg then array_to_json, so that
    /// slugs need no unquoting on our side).
    private static func tagJoin(alias: String, app: String, model: String, objectID: String) -> String {
        """
        LEFT JOIN (
            SELECT ti.object_id, array_to_json(array_agg(tg.slug ORDER BY tg.slug)) AS slugs
            FROM extras_taggeditem ti JOIN extras_tag tg ON tg.id = ti.tag_id
            WHERE ti.content_type_id = \(contentType(app, model))
            GROUP BY ti.object_id
        ) \(alias) ON \(alias).object_id = \(objectID)
        """
    }

    enum Owner { case device, virtualMachine }

    /// The addresses that can become reservations, one row each: every address assigned to an interface of a
    /// device or VM where the interface has a (primary) MAC, plus the owner's primary IPv4/IPv6 and (devices, 3.6+)
    /// out-of-band IP even without a MAC, so the reader can say why those give no reservation. `reason` says which
    /// role the address plays for the interface's own device or VM: a primary IP assigned to another device's
    /// interface (a virtual-chassis member) is only an interface address there.
    ///
    /// No ORDER BY: the reader puts the rows in IP-id order itself (`PostgresReader.read`), which costs it a sort of
    /// integers, where the server sorted every wide row (external merge on disk from about 30,000 rows with the
    /// default work_mem).
    ///
    /// `columns` names the SELECT's columns in order: the reader reads these rows with COPY, which sends no names.
    func interfaceAddresses(of owner: Owner) -> (sql: String, columns: [String]) {
        let ownerTable: String, interfaceTable: String, ownerColumn: String, interfaceType: String, site: String
        let ownerApp: String, ownerModel: String, interfaceApp: String, interfaceModel: String
        let roleColumn: String, deviceType: String, oob: String?
        switch owner {
        case .device:
            ownerTable = "dcim_device"
            interfaceTable = "dcim_interface"
            ownerColumn = "device_id"
            (ownerApp, ownerModel, interfaceApp, interfaceModel) = ("dcim", "device", "dcim", "interface")
            site = "LEFT JOIN dcim_site s ON s.id = o.site_id"
            roleColumn = schema.deviceRoleColumn
            deviceType = """
                LEFT JOIN dcim_devicetype dt ON dt.id = o.device_type_id
                LEFT JOIN dcim_manufacturer mf ON mf.id = dt.manufacturer_id
                """
            oob = schema.deviceHasOOB ? "o.oob_ip_id" : nil
        case .virtualMachine:
            ownerTable = "virtualization_virtualmachine"
            interfaceTable = "virtualization_vminterface"
            ownerColumn = "virtual_machine_id"
            (ownerApp, ownerModel, interfaceApp, interfaceModel) = ("virtualization", "virtualmachine",
                                                                     "virtualization", "vminterface")
            // From 3.3 a VM has its own site; NetBox leaves it empty for VMs in a cluster that has the site, so
            // the cluster's site is the fallback (and the only source before 3.3).
            let ownSite = schema.virtualMachineHasSite ? "o.site_id" : nil
            let clusterSite = schema.clusterSiteColumn.map { "c.\($0)" }
            let siteExpression = [ownSite, clusterSite].compactMap { $0 }
            let clusterJoin = clusterSite == nil ? "" : "LEFT JOIN virtualization_cluster c ON c.id = o.cluster_id\n"
            site = siteExpression.isEmpty ? "LEFT JOIN dcim_site s ON false"
                : clusterJoin + "LEFT JOIN dcim_site s ON s.id = COALESCE(\(siteExpression.joined(separator: ", ")))"
            roleColumn = "role_id"
            // VMs have no device type; the join keeps the column list the same for both owners.
            deviceType = """
                LEFT JOIN dcim_devicetype dt ON false
                LEFT JOIN dcim_manufacturer mf ON false
                """
            oob = nil
        }
        interfaceType = NetBoxQueries.contentType(interfaceApp, interfaceModel)
        let mac: String, macCount: String, macJoin: String
        if schema.macAddressModel {
            mac = "m.mac_address"
            // Counted only where the reader uses it (no primary MAC on a primary or out-of-band address): the
            // subquery runs per such row, and without an index on dcim_macaddress (assigned_object_type_id,
            // assigned_object_id) each run scans the table.
            macCount = """
                CASE WHEN m.mac_address IS NULL THEN (SELECT count(*) FROM dcim_macaddress am
                 WHERE am.assigned_object_type_id = \(interfaceType) AND am.assigned_object_id = i.id) END
                """
            macJoin = "LEFT JOIN dcim_macaddress m ON m.id = i.primary_mac_address_id"
        } else {
            mac = "i.mac_address"
            macCount = "CASE WHEN i.mac_address IS NULL THEN 0 ELSE 1 END"
            macJoin = ""
        }
        let reason = """
            CASE WHEN ip.id = o.primary_ip4_id OR ip.id = o.primary_ip6_id THEN 'primary'\
            \(oob.map { " WHEN ip.id = \($0) THEN 'oob'" } ?? "") ELSE 'interface' END
            """
        let wanted = ["o.primary_ip4_id", "o.primary_ip6_id"] + (oob.map { [$0] } ?? [])
        let select: [(expression: String, alias: String)] = [
            ("ip.id", "ip_id"), ("host(ip.address)", "ip"), ("masklen(ip.address)", "prefix_length"),
            ("ip.dns_name", "dns_name"), ("ip.status", "status"), ("ip.description", "description"),
            ("ip.custom_field_data::text", "custom_fields"), ("vrf.name", "vrf"),
            ("COALESCE(ipt.slug, ot.slug)", "tenant"), ("s.slug", "site"), ("o.id", "owner_id"),
            ("o.name", "owner_name"), ("i.name", "interface"), ("\(mac)::text", "mac"), (macCount, "mac_count"),
            ("tags.slugs", "tags"), (reason, "reason"), ("role.slug", "role"), ("pl.slug", "platform"),
            ("dt.slug", "device_type"), ("mf.slug", "manufacturer"), ("o.status", "host_status"),
            ("otags.slugs", "host_tags"), ("o.custom_field_data::text", "host_custom_fields"),
            ("itags.slugs", "interface_tags"), ("i.custom_field_data::text", "interface_custom_fields"),
            ("vl.vid", "vlan"), ("vl.name", "vlan_name"),
        ]
        let sql = """
            SELECT \(select.map { "\($0.expression) AS \($0.alias)" }.joined(separator: ",\n       "))
            FROM ipam_ipaddress ip
            JOIN \(interfaceTable) i ON ip.assigned_object_type_id = \(interfaceType) AND i.id = ip.assigned_object_id
            JOIN \(ownerTable) o ON o.id = i.\(ownerColumn)
            \(macJoin)
            LEFT JOIN ipam_vrf vrf ON vrf.id = ip.vrf_id
            LEFT JOIN tenancy_tenant ipt ON ipt.id = ip.tenant_id
            LEFT JOIN tenancy_tenant ot ON ot.id = o.tenant_id
            \(site)
            LEFT JOIN dcim_devicerole role ON role.id = o.\(roleColumn)
            LEFT JOIN dcim_platform pl ON pl.id = o.platform_id
            \(deviceType)
            LEFT JOIN ipam_vlan vl ON vl.id = i.untagged_vlan_id
            \(NetBoxQueries.tagJoin(alias: "tags", app: "ipam", model: "ipaddress", objectID: "ip.id"))
            \(NetBoxQueries.tagJoin(alias: "otags", app: ownerApp, model: ownerModel, objectID: "o.id"))
            \(NetBoxQueries.tagJoin(alias: "itags", app: interfaceApp, model: interfaceModel, objectID: "i.id"))
            WHERE \(mac) IS NOT NULL OR ip.id IN (\(wanted.joined(separator: ", ")))
            """
        return (sql, select.map(\.alias))
    }

    var prefixes: String {
        let site = schema.prefixSiteColumn.map { "LEFT JOIN dcim_site s ON s.id = p.\($0)" }
            ?? "LEFT JOIN dcim_site s ON false"
        return """
            SELECT p.id, p.prefix::text AS prefix, p.status, p.is_pool, p.description,
                   p.custom_field_data::text AS custom_fields, vrf.name AS vrf, s.slug AS site, t.slug AS tenant,
                   r.slug AS role, tags.slugs AS tags, vl.vid AS vlan, vl.name AS vlan_name
            FROM ipam_prefix p
            LEFT JOIN ipam_vrf vrf ON vrf.id = p.vrf_id
            \(site)
            LEFT JOIN tenancy_tenant t ON t.id = p.tenant_id
            LEFT JOIN ipam_role r ON r.id = p.role_id
            LEFT JOIN ipam_vlan vl ON vl.id = p.vlan_id
            \(NetBoxQueries.tagJoin(alias: "tags", app: "ipam", model: "prefix", objectID: "p.id"))
            ORDER BY p.id
            """
    }

    var ipRanges: String {
        """
        SELECT r.id, host(r.start_address) AS start_address, host(r.end_address) AS end_address, r.status,
               r.description, r.custom_field_data::text AS custom_fields, vrf.name AS vrf, t.slug AS tenant,
               ro.slug AS role, tags.slugs AS tags
        FROM ipam_iprange r
        LEFT JOIN ipam_vrf vrf ON vrf.id = r.vrf_id
        LEFT JOIN tenancy_tenant t ON t.id = r.tenant_id
        LEFT JOIN ipam_role ro ON ro.id = r.role_id
        \(NetBoxQueries.tagJoin(alias: "tags", app: "ipam", model: "iprange", objectID: "r.id"))
        ORDER BY r.id
        """
    }
}

extension PostgresReader {
    /// The NetBox schema generations the reader tells apart (from the catalog, not a version string); the raw value
    /// is the label a snapshot read from such a database carries in `schema`.
    public enum SchemaGeneration: String, CaseIterable, Sendable {
        /// NetBox 3.0-3.2: MACs on the interface, a VM's site is its cluster's, `device_role_id`, no out-of-band IP.
        case netbox30 = "3.0-3.2"
        /// NetBox 3.3-3.5: VMs have their own site.
        case netbox33 = "3.3-3.5"
        /// NetBox 3.6-4.1: `role_id` and the device's out-of-band IP.
        case netbox36 = "3.6-4.1"
        /// NetBox 4.2 and later: MACs in dcim_macaddress, cached `_site_id` scope columns on prefixes and clusters.
        case netbox42 = "4.2+"

        var schema: NetBoxSchema {
            switch self {
            case .netbox30:
                return NetBoxSchema(macAddressModel: false, prefixSiteColumn: "site_id", virtualMachineHasSite: false,
                                    clusterSiteColumn: "site_id", deviceRoleColumn: "device_role_id",
                                    deviceHasOOB: false)
            case .netbox33:
                return NetBoxSchema(macAddressModel: false, prefixSiteColumn: "site_id", virtualMachineHasSite: true,
                                    clusterSiteColumn: "site_id", deviceRoleColumn: "device_role_id",
                                    deviceHasOOB: false)
            case .netbox36:
                return NetBoxSchema(macAddressModel: false, prefixSiteColumn: "site_id", virtualMachineHasSite: true,
                                    clusterSiteColumn: "site_id", deviceRoleColumn: "role_id", deviceHasOOB: true)
            case .netbox42:
                return NetBoxSchema(macAddressModel: true, prefixSiteColumn: "_site_id", virtualMachineHasSite: true,
                                    clusterSiteColumn: "_site_id", deviceRoleColumn: "role_id", deviceHasOOB: true)
            }
        }
    }

    /// The SELECT statements `read()` runs against a database of `generation`, in the order it runs them, each with
    /// a label (`device addresses`, `VM addresses`, `prefixes`, `IP ranges`).
    ///
    /// `read()` does not need this. It is public so that benchmarks can time `psql \copy` of exactly the reader's
    /// statements (a copy of the SQL would drift from it) and so that an operator can run `EXPLAIN ANALYZE` on
    /// them against a slow database.
    public static func queries(for generation: SchemaGeneration) -> [(label: String, sql: String)] {
        NetBoxQueries(schema: generation.schema).all
    }
}

extension PostgresReader {
    /// Settings of the reader's transaction (`SET LOCAL`, so they end with it), which benchmarks apply to psql's
    /// COPY of the same queries too. JIT off: the address queries cost enough for PostgreSQL to JIT-compile them
    /// (0.45 s of compiling at 100,000 rows, more with inlining and optimisation above 500,000 of cost) to run
    /// each expression once per row. A larger work_mem keeps the hash joins of 100,000 rows in memory (4 MB, the
    /// default, splits them into batches on disk); PostgreSQL takes only what a join needs, per join.
    public static let transactionSettings = ["SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'"]
}

extension NetBoxQueries {
    /// Everything `read()` fetches, in its order.
    var all: [(label: String, sql: String)] {
        [("device addresses", interfaceAddresses(of: .device).sql),
         ("VM addresses", interfaceAddresses(of: .virtualMachine).sql),
         ("prefixes", prefixes), ("IP ranges", ipRanges)]
    }
}
