/// SQL that fills a database holding the 4.x fixture schema with the hosts of a `Layout`, set-based (one
/// INSERT … SELECT FROM generate_series per table), so 100,000 hosts load in seconds rather than through 100,000
/// helper calls. Every expression mirrors a `Layout` formula.
struct DatabaseFiller {
    let layout: Layout

    /// Indexes NetBox itself creates on these tables (from its migrations; /work/shared/netbox/netbox-4.x-subset.sql)
    /// and the compact test fixture leaves out. Without them the reader's per-row MAC count is a sequential scan
    /// of dcim_macaddress for every reservation.
    static let netBoxIndexes = """
        CREATE INDEX ON ipam_ipaddress (assigned_object_type_id, assigned_object_id);
        CREATE INDEX ON ipam_ipaddress (vrf_id);
        CREATE INDEX ON dcim_macaddress (assigned_object_type_id);
        CREATE INDEX ON dcim_macaddress (assigned_object_type_id, assigned_object_id);
        CREATE INDEX ON dcim_interface (device_id);
        CREATE INDEX ON virtualization_vminterface (virtual_machine_id);
        CREATE INDEX ON ipam_prefix (vrf_id);
        CREATE INDEX ON ipam_prefix (_site_id);
        CREATE INDEX ON ipam_iprange (vrf_id);
        CREATE INDEX ON extras_taggeditem (content_type_id, object_id);
        CREATE INDEX ON extras_taggeditem (object_id);
        CREATE INDEX ON extras_taggeditem (tag_id);
        """

    var sql: String {
        let n = layout.count, v4 = layout.v4Count, p4 = layout.perV4Subnet, p6 = layout.perV6Subnet
        let seed = layout.seed
        let sites = Layout.siteCount, tenants = Layout.tenantCount
        return """
            BEGIN;
            INSERT INTO tenancy_tenant (id, name, slug)
                SELECT g, 'tenant' || g, 'tenant' || g FROM generate_series(1, \(tenants)) g;
            INSERT INTO dcim_site (id, name, slug) SELECT g, 'site' || g, 'site' || g FROM generate_series(1, \(sites)) g;
            INSERT INTO virtualization_cluster (id, name, scope_type_id, scope_id, _site_id)
                SELECT g, 'cluster' || g, fx_ct('dcim', 'site'), g, g FROM generate_series(1, \(sites)) g;
            INSERT INTO extras_tag (id, name, slug) VALUES (1, 'dhcp', 'dhcp'), (2, 'pxe', 'pxe');

            CREATE TEMP TABLE bench_host AS
                SELECT j, j % 10 = 9 AS vm,
                       CASE WHEN j < \(v4)
                            THEN format('10.%s.%s.%s/24', (j / \(p4)) / 256, (j / \(p4)) % 256, 10 + j % \(p4))
                            ELSE format('2001:db8:0:%s::%s/64', to_hex((j - \(v4)) / \(p6)), to_hex(4096 + (j - \(v4)) % \(p6)))
                       END::inet AS address
                FROM generate_series(0, \(n - 1)) j;

            INSERT INTO ipam_ipaddress (id, address, status, assigned_object_type_id, assigned_object_id, dns_name,
                                        custom_field_data)
                SELECT j + 1, address, 'active',
                       CASE WHEN vm THEN (SELECT fx_ct('virtualization', 'vminterface'))
                            ELSE (SELECT fx_ct('dcim', 'interface')) END,
                       j + 1,
                       CASE WHEN j % 2 = 0 THEN 'host-' || j || '.example.net' ELSE '' END,
                       CASE WHEN j % 5 = 0 THEN '{"boot_file": "pxelinux.0"}' ELSE '{}' END::jsonb
                FROM bench_host;
            -- NetBox's change log as an instance that grew over time has it: one creation per address, one a minute,
            -- the newest a minute ago (the change probe counts the last hour's rows and reads the newest id).
            INSERT INTO core_objectchange ("time", user_name, request_id, action, changed_object_id, object_repr,
                                           changed_object_type_id)
                SELECT now() - (\(n) - j) * interval '1 minute', 'bench', md5(j::text)::uuid, 'create', j + 1,
                       host(address), (SELECT fx_ct('ipam', 'ipaddress'))
                FROM bench_host;
            INSERT INTO extras_taggeditem (object_id, content_type_id, tag_id)
                SELECT j + 1, (SELECT fx_ct('ipam', 'ipaddress')), 1 FROM bench_host WHERE j % 10 = 0
                UNION ALL
                SELECT j + 1, (SELECT fx_ct('ipam', 'ipaddress')), 2 FROM bench_host WHERE j % 30 = 0;

            -- The primary MAC of each host's interface (id j + 1), and on every fourth device interface a second,
            -- non-primary MAC (which the reader's MAC count sees).
            INSERT INTO dcim_macaddress (id, mac_address, assigned_object_type_id, assigned_object_id)
                SELECT j + 1, ('0200' || lpad(to_hex((j + \(seed) * 7919) * 2654435761 % 4294967296), 8, '0'))::macaddr,
                       CASE WHEN vm THEN (SELECT fx_ct('virtualization', 'vminterface'))
                            ELSE (SELECT fx_ct('dcim', 'interface')) END,
                       j + 1
                FROM bench_host
                UNION ALL
                SELECT \(n) + j + 1, ('0600' || lpad(to_hex(j), 8, '0'))::macaddr, (SELECT fx_ct('dcim', 'interface')), j + 1
                FROM bench_host WHERE NOT vm AND j % 4 = 1;

            INSERT INTO dcim_device (id, name, site_id, tenant_id, primary_ip4_id, primary_ip6_id)
                SELECT j + 1, 'dev-' || j, j % \(sites) + 1, CASE WHEN j % 3 = 0 THEN j % \(tenants) + 1 END,
                       CASE WHEN j < \(v4) THEN j + 1 END, CASE WHEN j >= \(v4) THEN j + 1 END
                FROM bench_host WHERE NOT vm;
            -- VM sites: every other VM has none of its own and falls back to its cluster's (the same site).
            INSERT INTO virtualization_virtualmachine (id, name, cluster_id, site_id, tenant_id, primary_ip4_id, primary_ip6_id)
                SELECT j + 1, 'vm-' || j, j % \(sites) + 1, CASE WHEN j % 20 = 9 THEN j % \(sites) + 1 END,
                       CASE WHEN j % 3 = 0 THEN j % \(tenants) + 1 END,
                       CASE WHEN j < \(v4) THEN j + 1 END, CASE WHEN j >= \(v4) THEN j + 1 END
                FROM bench_host WHERE vm;

            INSERT INTO dcim_interface (id, name, device_id, primary_mac_address_id, _site_id)
                SELECT j + 1, 'eth0', j + 1, j + 1, j % \(sites) + 1 FROM bench_host WHERE NOT vm;
            -- A second interface without an address on every other device.
            INSERT INTO dcim_interface (id, name, device_id, _site_id)
                SELECT \(n) + j + 1, 'mgmt0', j + 1, j % \(sites) + 1 FROM bench_host WHERE NOT vm AND j % 2 = 0;
            INSERT INTO virtualization_vminterface (id, name, virtual_machine_id, primary_mac_address_id)
                SELECT j + 1, 'ens3', j + 1, j + 1 FROM bench_host WHERE vm;

            INSERT INTO ipam_prefix (id, prefix, status, scope_type_id, scope_id, _site_id)
                SELECT k + 1, format('10.%s.%s.0/24', k / 256, k % 256)::cidr, 'active',
                       (SELECT fx_ct('dcim', 'site')), k % \(sites) + 1, k % \(sites) + 1
                FROM generate_series(0, \(layout.v4Subnets - 1)) k
                UNION ALL
                SELECT \(layout.v4Subnets) + k + 1, format('2001:db8:0:%s::/64', to_hex(k))::cidr, 'active',
                       (SELECT fx_ct('dcim', 'site')), k % \(sites) + 1, k % \(sites) + 1
                FROM generate_series(0, \(layout.v6Subnets - 1)) k;
            INSERT INTO extras_taggeditem (object_id, content_type_id, tag_id)
                SELECT id, (SELECT fx_ct('ipam', 'prefix')), 1 FROM ipam_prefix;
            INSERT INTO ipam_iprange (id, start_address, end_address, size, status)
                SELECT k + 1, format('10.%s.%s.240/24', k / 256, k % 256)::inet,
                       format('10.%s.%s.250/24', k / 256, k % 256)::inet, 11, 'active'
                FROM generate_series(0, \(layout.v4Subnets - 1)) k;
            DROP TABLE bench_host;
            COMMIT;
            """
    }
}
