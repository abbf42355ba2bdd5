import Foundation
import Testing

/// templates/kea-dhcp4-netbox.conf.tmpl and kea-dhcp6-netbox.conf.tmpl against a real NetBox database (3.7 and 4.x
/// shapes) filled the way operators fill it: servers with BMCs on out-of-band IPs, a DHCPv6 host by DUID, device
/// roles and platforms, a /24 inside a /16 whose custom fields supply the options; and on generated data. Every
/// render must pass the real kea-dhcpN -t and `kea-netbox lint`.
@Suite struct NetBoxDrivenTemplateTests {
    static let v4 = "templates/kea-dhcp4-netbox.conf.tmpl"
    static let v6 = "templates/kea-dhcp6-netbox.conf.tmpl"

    static let operatorData = """
        DO $$ DECLARE d bigint; i bigint; p bigint; BEGIN
            p := fx_prefix('10.20.0.0/16', status_ => 'container');
            UPDATE ipam_prefix SET custom_field_data = '{"dhcp_router": "10.20.30.1", "dhcp_dns_servers": "10.20.0.53", "dhcp_domain_name": "dc.example"}' WHERE id = p;
            p := fx_prefix('10.20.30.0/24');
            UPDATE ipam_prefix SET custom_field_data = '{"dhcp_router": null, "kea_subnet_id": 3020}' WHERE id = p;
            PERFORM fx_tag('ipam', 'prefix', p, 'dhcp');
            PERFORM fx_range('10.20.30.100/24', '10.20.30.199/24');
            p := fx_prefix('10.99.0.0/24');
            UPDATE ipam_prefix SET custom_field_data = '{"dhcp_router": "10.99.0.1"}' WHERE id = p;
            PERFORM fx_tag('ipam', 'prefix', p, 'dhcp');
            p := fx_prefix('2001:db8:20::/48', status_ => 'container');
            UPDATE ipam_prefix SET custom_field_data = '{"dhcp_dns_servers": "2001:db8:20::53"}' WHERE id = p;
            p := fx_prefix('2001:db8:20:30::/64');
            PERFORM fx_tag('ipam', 'prefix', p, 'dhcp');

            d := fx_device('srv1');
            PERFORM fx_device_details(d, 'compute', 'debian-12-netinst', 'dell', 'poweredge-r650');
            i := fx_interface(d, 'eno1', '02:00:00:20:30:10');
            UPDATE dcim_interface SET custom_field_data = '{"dhcp_duid": "00:01:00:01:2c:1f:aa:01:02:00:00:20:30:10"}' WHERE id = i;
            PERFORM fx_primary(fx_ip('10.20.30.10/24', i));
            PERFORM fx_primary(fx_ip('2001:db8:20:30::10/64', i));
            PERFORM fx_oob(fx_ip('10.99.0.10/24', fx_interface(d, 'iDRAC', '02:00:00:99:00:10'), dns => 'srv1-bmc.oob'));
            d := fx_device('srv2');
            PERFORM fx_device_details(d, 'compute', 'esxi-8');
            PERFORM fx_primary(fx_ip('10.20.30.11/24', fx_interface(d, 'eno1', '02:00:00:20:30:11')));
            PERFORM fx_oob(fx_ip('10.99.0.11/24', fx_interface(d, 'iLO')));
        END $$;
        """

    @Test(arguments: TestCluster.Shape.allCases)
    func operatorDataRendersWithoutAHandWrittenLine(shape: TestCluster.Shape) throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: shape)
        try database.execute(Self.operatorData)

        let v4 = try CommandRunner.keaNetbox(["render", Self.v4, "--database", database.conninfo])
        #expect(v4.status == 0, "\(v4.stderr)")
        #expect(v4.stdout.contains(#""id": 3020,"#), "kea_subnet_id wins over the prefix id")
        #expect(v4.stdout.contains(#"{ "name": "routers", "data": "10.20.30.1" },"#), "the /16 supplies the router the /24 leaves null")
        #expect(v4.stdout.contains(#"{ "name": "domain-name-servers", "data": "10.20.0.53" },"#))
        #expect(v4.stdout.contains(#"{ "hw-address": "02:00:00:20:30:10", "ip-address": "10.20.30.10", "hostname": "srv1", "client-classes": [ "pxe-debian-12-netinst" ] }"#), "\(v4.stdout)")
        #expect(v4.stdout.contains(#"{ "hw-address": "02:00:00:20:30:11", "ip-address": "10.20.30.11", "hostname": "srv2" }"#))
        #expect(v4.stdout.contains(#"{ "hw-address": "02:00:00:99:00:10", "ip-address": "10.99.0.10", "hostname": "srv1-bmc.oob" }"#), "the BMC by its out-of-band IP")
        #expect(v4.stdout.contains(#""pool": "10.20.30.100 - 10.20.30.199""#))
        #expect(v4.stderr.contains(#"warning: NetBox data: device "srv2" interface "iLO" IP 10.99.0.11/24 (IP id 5, out-of-band IP): the interface holding the out-of-band IP has no MAC address; no reservation"#), "\(v4.stderr)")

        let v6 = try CommandRunner.keaNetbox(["render", Self.v6, "--database", database.conninfo])
        #expect(v6.status == 0, "\(v6.stderr)")
        #expect(v6.stdout.contains(#"{ "duid": "00:01:00:01:2c:1f:aa:01:02:00:00:20:30:10", "ip-addresses": [ "2001:db8:20:30::10" ], "hostname": "srv1", "client-classes": [ "pxe-debian-12-netinst" ] }"#), "\(v6.stdout)")
        #expect(v6.stdout.contains(#"{ "name": "dns-servers", "data": "2001:db8:20::53" }"#), "the /48 supplies the DNS servers")

        try KeaCheck.expectAccepts(v4.stdout, program: "kea-dhcp4")
        try KeaCheck.expectAccepts(v6.stdout, program: "kea-dhcp6")
        let lint = try CommandRunner.keaNetbox(["lint", Self.v4, Self.v6, "--database", database.conninfo])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
    }

    @Test func anEmptyNetBoxIsRefusedNotRenderedEmpty() throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: .netbox4x)
        for template in [Self.v4, Self.v6] {
            let result = try CommandRunner.keaNetbox(["render", template, "--database", database.conninfo])
            #expect(result.status == 2)
            #expect(result.stderr.contains("error: NetBox has no active IPv"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    /// 400 hosts in 8 /24s of a /16 (a BMC each on an out-of-band /24), every fourth with a DUID, generated
    /// set-based; the options come from the /16.
    @Test func generatedDataPassesKea() throws {
        guard let host = TestCluster.available() else { return }
        let database = try TestCluster(host: host, shape: .netbox4x)
        try database.execute("""
            DO $$ DECLARE p bigint; d bigint; i bigint; n integer; BEGIN
                p := fx_prefix('10.40.0.0/16', status_ => 'container');
                UPDATE ipam_prefix SET custom_field_data = '{"dhcp_dns_servers": "10.40.0.53", "dhcp_domain_name": "gen.example"}' WHERE id = p;
                p := fx_prefix('2001:db8:40::/48', status_ => 'container');
                UPDATE ipam_prefix SET custom_field_data = '{"dhcp_dns_servers": "2001:db8:40::53"}' WHERE id = p;
                FOR n IN 0..7 LOOP
                    p := fx_prefix(('10.40.' || n || '.0/24')::cidr);
                    UPDATE ipam_prefix SET custom_field_data = jsonb_build_object('dhcp_router', '10.40.' || n || '.1') WHERE id = p;
                    PERFORM fx_tag('ipam', 'prefix', p, 'dhcp');
                    PERFORM fx_range(('10.40.' || n || '.200/24')::inet, ('10.40.' || n || '.250/24')::inet);
                    p := fx_prefix(('2001:db8:40:' || n || '::/64')::cidr);
                    PERFORM fx_tag('ipam', 'prefix', p, 'dhcp');
                END LOOP;
                p := fx_prefix('10.41.0.0/23');
                PERFORM fx_tag('ipam', 'prefix', p, 'dhcp');
                FOR n IN 0..399 LOOP
                    d := fx_device('gen' || n);
                    i := fx_interface(d, 'eth0', '02:00:00:40:' || lpad(to_hex(n / 256), 2, '0') || ':' || lpad(to_hex(n % 256), 2, '0'));
                    IF n % 4 = 0 THEN
                        UPDATE dcim_interface SET custom_field_data = jsonb_build_object('dhcp_duid', '00:03:00:01:02:00:00:40:'
                            || lpad(to_hex(n / 256), 2, '0') || ':' || lpad(to_hex(n % 256), 2, '0')) WHERE id = i;
                    END IF;
                    PERFORM fx_primary(fx_ip(('10.40.' || (n / 50) || '.' || (10 + n % 50) || '/24')::inet, i));
                    PERFORM fx_primary(fx_ip(('2001:db8:40:' || (n / 50) || '::' || to_hex(16 + n % 50) || '/64')::inet, i));
                    PERFORM fx_oob(fx_ip(('10.41.' || (n / 200) || '.' || (1 + n % 200) || '/23')::inet,
                                         fx_interface(d, 'bmc', '02:00:00:41:' || lpad(to_hex(n / 256), 2, '0') || ':' || lpad(to_hex(n % 256), 2, '0'))));
                END LOOP;
            END $$;
            """)
        let v4 = try CommandRunner.keaNetbox(["render", Self.v4, "--database", database.conninfo])
        #expect(v4.status == 0, "\(v4.stderr)")
        #expect(v4.stdout.components(separatedBy: #""hw-address""#).count - 1 == 800, "400 hosts and 400 BMCs")
        let v6 = try CommandRunner.keaNetbox(["render", Self.v6, "--database", database.conninfo])
        #expect(v6.status == 0, "\(v6.stderr)")
        #expect(v6.stdout.components(separatedBy: #""duid""#).count - 1 == 100)
        #expect(v6.stdout.components(separatedBy: #""hw-address""#).count - 1 == 300)
        try KeaCheck.expectAccepts(v4.stdout, program: "kea-dhcp4")
        try KeaCheck.expectAccepts(v6.stdout, program: "kea-dhcp6")
    }

    @Test func theDemoSnapshotRendersAndPassesKeaAndLint() throws {
        let demo = CommandRunner.repositoryRoot.appendingPathComponent("examples/demo-snapshot.json").path
        for (template, program) in [(Self.v4, "kea-dhcp4"), (Self.v6, "kea-dhcp6")] {
            let result = try CommandRunner.keaNetbox(["render", template, "--data", demo])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            try KeaCheck.expectAccepts(result.stdout, program: program)
        }
        let lint = try CommandRunner.keaNetbox(["lint", Self.v4, Self.v6, "--data", demo, "--kea"])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
    }
}
