/// The SQL `PostgresReader.read()` runs against a NetBox 4.2+ database (the shape of the 4.x fixture: MACs in
/// dcim_macaddress, `_site_id` on prefixes and clusters, VMs with their own site), copied from
/// Sources/NetBox/NetBoxQueries.swift because `NetBoxQueries` is internal to the NetBox module. The bench checks
/// that these return as many reservation rows as the reader keeps, so a drift in the reader's SQL shows up as a
/// row-count mismatch rather than as a silently unfair comparison.
enum ReaderQueries {
    private static func contentType(_ app: String, _ model: String) -> String {
        "(SELECT id FROM django_content_type WHERE app_label = '\(app)' AND model = '\(model)')"
    }

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

    private static func primaryAddresses(ownerTable: String, interfaceTable: String, ownerColumn: String,
                                         interfaceType: String, site: String) -> String {
        """
        SELECT ip.id AS ip_id, host(ip.address) AS ip, masklen(ip.address) AS prefix_length,
               ip.dns_name, ip.status, ip.description, ip.custom_field_data::text AS custom_fields,
               vrf.name AS vrf, COALESCE(ipt.slug, ot.slug) AS tenant, s.slug AS site,
               o.id AS owner_id, o.name AS owner_name, i.name AS interface,
               m.mac_address::text AS mac, (SELECT count(*) FROM dcim_macaddress am
             WHERE am.assigned_object_type_id = \(interfaceType) AND am.assigned_object_id = i.id) AS mac_count, tags.slugs AS tags
        FROM \(ownerTable) o
        JOIN ipam_ipaddress ip ON ip.id IN (o.primary_ip4_id, o.primary_ip6_id)
        JOIN \(interfaceTable) i ON ip.assigned_object_type_id = \(interfaceType)
             AND i.id = ip.assigned_object_id AND i.\(ownerColumn) = o.id
        LEFT JOIN dcim_macaddress m ON m.id = i.primary_mac_address_id
        LEFT JOIN ipam_vrf vrf ON vrf.id = ip.vrf_id
        LEFT JOIN tenancy_tenant ipt ON ipt.id = ip.tenant_id
        LEFT JOIN tenancy_tenant ot ON ot.id = o.tenant_id
        \(site)
        \(tagJoin(alias: "tags", app: "ipam", model: "ipaddress", objectID: "ip.id"))
        ORDER BY ip.id
        """
    }

    /// Device primary addresses (one reservation row per primary IP on the device's own interface).
    static var devices: String {
        primaryAddresses(ownerTable: "dcim_device", interfaceTable: "dcim_interface", ownerColumn: "device_id",
                         interfaceType: contentType("dcim", "interface"),
                         site: "LEFT JOIN dcim_site s ON s.id = o.site_id")
    }

    /// VM primary addresses; the VM's site, else its cluster's.
    static var virtualMachines: String {
        primaryAddresses(ownerTable: "virtualization_virtualmachine", interfaceTable: "virtualization_vminterface",
                         ownerColumn: "virtual_machine_id",
                         interfaceType: contentType("virtualization", "vminterface"),
                         site: """
                             LEFT JOIN virtualization_cluster c ON c.id = o.cluster_id
                             LEFT JOIN dcim_site s ON s.id = COALESCE(o.site_id, c._site_id)
                             """)
    }

    static var prefixes: String {
        """
        SELECT p.id, p.prefix::text AS prefix, p.status, p.is_pool, p.description,
               p.custom_field_data::text AS custom_fields, vrf.name AS vrf, s.slug AS site, t.slug AS tenant,
               r.slug AS role, tags.slugs AS tags
        FROM ipam_prefix p
        LEFT JOIN ipam_vrf vrf ON vrf.id = p.vrf_id
        LEFT JOIN dcim_site s ON s.id = p._site_id
        LEFT JOIN tenancy_tenant t ON t.id = p.tenant_id
        LEFT JOIN ipam_role r ON r.id = p.role_id
        \(tagJoin(alias: "tags", app: "ipam", model: "prefix", objectID: "p.id"))
        ORDER BY p.id
        """
    }

    static var ipRanges: String {
        """
        SELECT r.id, host(r.start_address) AS start_address, host(r.end_address) AS end_address, r.status,
               r.description, r.custom_field_data::text AS custom_fields, vrf.name AS vrf, t.slug AS tenant,
               ro.slug AS role, tags.slugs AS tags
        FROM ipam_iprange r
        LEFT JOIN ipam_vrf vrf ON vrf.id = r.vrf_id
        LEFT JOIN tenancy_tenant t ON t.id = r.tenant_id
        LEFT JOIN ipam_role ro ON ro.id = r.role_id
        \(tagJoin(alias: "tags", app: "ipam", model: "iprange", objectID: "r.id"))
        ORDER BY r.id
        """
    }

    /// Everything the reader fetches, in its order: (label, SQL).
    static var all: [(String, String)] {
        [("device addresses", devices), ("VM addresses", virtualMachines), ("prefixes", prefixes),
         ("IP ranges", ipRanges)]
    }
}
