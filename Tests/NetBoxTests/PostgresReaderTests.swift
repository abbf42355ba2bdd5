import Foundation
import Testing
@testable import NetBox
@testable import PostgreSQL

private func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipReason))
struct PostgresReaderTests {
    @Test(arguments: TestDatabase.Shape.allCases)
    func deviceWithMACAndPrimaryIPBecomesAReservation(shape: TestDatabase.Shape) throws {
        let setup = """
            SELECT fx_primary(fx_ip('192.0.2.10/24', fx_interface(fx_device('srv1', 'dc1', 'acme'), 'eth0', '02:00:00:00:00:01'),
                                    dns => 'srv1.example.com'));
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: setup) { try $0.read() }
        #expect(warnings.isEmpty)
        #expect(snapshot.schema == (shape == .netbox37 ? "3.6-4.1" : "4.2+"))
        #expect(snapshot.reservations == [Reservation(
            ipID: 1, ip: try ip("192.0.2.10"), prefixLength: 24, mac: try #require(MACAddress("02:00:00:00:00:01")),
            hostname: "srv1.example.com", dnsName: "srv1.example.com", name: "srv1", kind: .device, interface: "eth0",
            site: "dc1", tenant: "acme", host: HostDetails(status: "active"))])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func hostnameFallsBackToTheDeviceName(shape: TestDatabase.Shape) throws {
        let setup = "SELECT fx_primary(fx_ip('192.0.2.10/24', fx_interface(fx_device('srv1'), 'eth0', '02:00:00:00:00:01')));"
        let (snapshot, _) = try TestDatabase.with(shape, setup: setup) { try $0.read() }
        #expect(snapshot.reservations.map(\.hostname) == ["srv1"])
        #expect(snapshot.reservations.map(\.dnsName) == [""])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func virtualMachineInterfacesGiveVMReservations(shape: TestDatabase.Shape) throws {
        let setup = """
            SELECT fx_primary(fx_ip('198.51.100.7/25', fx_vminterface(fx_vm('vm7', 'dc2'), 'ens3', '52:54:00:aa:bb:cc'), on_vm => true));
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: setup) { try $0.read() }
        #expect(warnings.isEmpty)
        let reservation = try #require(snapshot.reservations.first)
        #expect(snapshot.reservations.count == 1)
        #expect(reservation.kind == .vm)
        #expect(reservation.name == "vm7")
        #expect(reservation.interface == "ens3")
        #expect(reservation.mac.description == "52:54:00:aa:bb:cc")
        #expect(reservation.site == "dc2")
        #expect(reservation.ip == (try ip("198.51.100.7")))
        #expect(reservation.prefixLength == 25)
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func ipv6PrimaryGivesASecondReservation(shape: TestDatabase.Shape) throws {
        let sql = """
            DO $$ DECLARE i bigint; BEGIN
                i := fx_interface(fx_device('dual'), 'eth0', '02:00:00:00:00:02');
                PERFORM fx_primary(fx_ip('2001:db8:0:1::10/64', i));
                PERFORM fx_primary(fx_ip('192.0.2.20/24', i));
            END $$;
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(warnings.isEmpty)
        #expect(snapshot.reservations.map(\.ip.description) == ["192.0.2.20", "2001:db8:0:1::10"])
        #expect(snapshot.reservations.map(\.family) == [.v4, .v6])
        #expect(snapshot.reservations.map(\.prefixLength) == [24, 64])
        #expect(Set(snapshot.reservations.map(\.mac.description)) == ["02:00:00:00:00:02"])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func primaryIPOnAnotherInterfaceThanTheMACGivesNoReservation(shape: TestDatabase.Shape) throws {
        let sql = """
            DO $$ DECLARE d bigint; BEGIN
                d := fx_device('split');
                PERFORM fx_interface(d, 'eth0', '02:00:00:00:00:03');
                PERFORM fx_primary(fx_ip('192.0.2.30/24', fx_interface(d, 'eth1')));
            END $$;
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.isEmpty)
        #expect(warnings.map(\.kind) == [.missingMAC])
        #expect(warnings.first?.message == #"device "split" interface "eth1" IP 192.0.2.30/24 (IP id 1): the interface holding the primary IP has no MAC address; no reservation"#)
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func addressThatIsNotPrimaryIsAnInterfaceReservation(shape: TestDatabase.Shape) throws {
        let setup = """
            SELECT fx_ip('192.0.2.40/24', fx_interface(fx_device('plain'), 'eth0', '02:00:00:00:00:04'));
            SELECT fx_ip('192.0.2.41/24', fx_interface(fx_device('bare'), 'eth0'));
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: setup) { try $0.read() }
        #expect(snapshot.reservations.map(\.ip.description) == ["192.0.2.40"])
        #expect(snapshot.reservations.map(\.reason) == [.interface])
        #expect(warnings.isEmpty, "an address that is neither primary nor out-of-band on an interface without MAC is no candidate")
    }

    @Test func primaryMACCountsAmongSeveralOnOneInterface() throws {
        let sql = """
            DO $$ DECLARE i bigint; BEGIN
                i := fx_interface(fx_device('multi'), 'eth0');
                PERFORM fx_add_mac('dcim', 'interface', i, '02:00:00:00:00:a1', false);
                PERFORM fx_add_mac('dcim', 'interface', i, '02:00:00:00:00:a2', true);
                PERFORM fx_add_mac('dcim', 'interface', i, '02:00:00:00:00:a3', false);
                PERFORM fx_primary(fx_ip('192.0.2.50/24', i));
            END $$;
            """
        let (snapshot, warnings) = try TestDatabase.with(.netbox4x, setup: sql) { try $0.read() }
        #expect(warnings.isEmpty)
        #expect(snapshot.reservations.map(\.mac.description) == ["02:00:00:00:00:a2"])
    }

    @Test func severalMACsWithoutAPrimaryOneAreReported() throws {
        let sql = """
            DO $$ DECLARE i bigint; BEGIN
                i := fx_interface(fx_device('noprimary'), 'eth0');
                PERFORM fx_add_mac('dcim', 'interface', i, '02:00:00:00:00:b1', false);
                PERFORM fx_add_mac('dcim', 'interface', i, '02:00:00:00:00:b2', false);
                PERFORM fx_primary(fx_ip('192.0.2.51/24', i));
            END $$;
            """
        let (snapshot, warnings) = try TestDatabase.with(.netbox4x, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.isEmpty)
        #expect(warnings.map(\.message) == [#"device "noprimary" interface "eth0" IP 192.0.2.51/24 (IP id 1): the interface holding the primary IP has 2 MAC addresses but none is its primary MAC; no reservation"#])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func vrfStatusTagsAndCustomFieldsComeFromTheIPAddress(shape: TestDatabase.Shape) throws {
        let sql = """
            DO $$ DECLARE a bigint; BEGIN
                a := fx_ip('10.9.0.5/16', fx_interface(fx_device('tagged'), 'eth0', '02:00:00:00:00:05'),
                           status_ => 'reserved', vrf => 'blue',
                           custom => '{"boot_file": "pxelinux.0", "vlan": 42, "ratio": 0.5, "opts": {"a": [1, null]}}');
                PERFORM fx_primary(a);
                PERFORM fx_tag('ipam', 'ipaddress', a, 'pxe');
                PERFORM fx_tag('ipam', 'ipaddress', a, 'dhcp');
                PERFORM fx_tag('dcim', 'device', a, 'not-this-one');
            END $$;
            """
        let (snapshot, _) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        let reservation = try #require(snapshot.reservations.first)
        #expect(reservation.vrf == "blue")
        #expect(reservation.status == "reserved")
        #expect(reservation.tags == ["dhcp", "pxe"])
        #expect(reservation.customFields == ["boot_file": .string("pxelinux.0"), "vlan": .integer(42),
                                             "ratio": .number(0.5), "opts": .object(["a": .array([.integer(1), .null])])])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func customFieldsThatAreNotAnObjectAreIgnoredWithAWarning(shape: TestDatabase.Shape) throws {
        let sql = """
            SELECT fx_primary(fx_ip('192.0.2.40/24', fx_interface(fx_device('odd'), 'eth0', '02:00:00:00:00:40'),
                                    custom => '[1, 2]'));
            SELECT fx_prefix('192.0.2.0/24');
            SELECT fx_range('192.0.2.100/24', '192.0.2.199/24');
            UPDATE ipam_prefix SET custom_field_data = '"text"';
            UPDATE ipam_iprange SET custom_field_data = '7';
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.map(\.customFields) == [[:]])
        #expect(snapshot.prefixes.map(\.customFields) == [[:]])
        #expect(warnings.map(\.message) == [
            #"device "odd" interface "eth0" IP 192.0.2.40/24 (IP id 1): custom_field_data is not a JSON object; ignored"#,
            "prefix 192.0.2.0/24 (id 1): custom_field_data is not a JSON object; ignored",
            "IP range 192.0.2.100-192.0.2.199 (id 1): custom_field_data is not a JSON object; ignored",
        ])
    }

    /// `PostgresReader.queries(for:)` is what benchmarks time with psql: it must be the SQL `read()` runs.
    @Test(arguments: [
        (TestDatabase.Shape.netbox37, """
            ALTER TABLE virtualization_virtualmachine DROP COLUMN site_id;
            ALTER TABLE dcim_device DROP COLUMN oob_ip_id; ALTER TABLE dcim_device RENAME role_id TO device_role_id;
            """, PostgresReader.SchemaGeneration.netbox30),
        (.netbox37, """
            ALTER TABLE dcim_device DROP COLUMN oob_ip_id; ALTER TABLE dcim_device RENAME role_id TO device_role_id;
            """, .netbox33),
        (.netbox37, "", .netbox36),
        (.netbox4x, "", .netbox42),
    ])
    func publishedQueriesAreTheOnesTheReaderRuns(shape: TestDatabase.Shape, setup: String,
                                                 generation: PostgresReader.SchemaGeneration) throws {
        let detected = try TestDatabase.with(shape, setup: setup) { database in
            try NetBoxSchema.detect(from: NetBoxSchema.readCatalog(PostgresConnection(conninfo: database.conninfo)))
        }
        // The change log is the change probe's, not the reader's: it shapes none of the published queries.
        var readerSchema = detected
        readerSchema.changeLogTable = nil
        #expect(readerSchema == generation.schema)
        #expect(detected.label == generation.rawValue)
        #expect(PostgresReader.queries(for: generation).map(\.sql) == NetBoxQueries(schema: detected).all.map(\.sql))
        #expect(PostgresReader.queries(for: generation).map(\.label)
                == ["device addresses", "VM addresses", "prefixes", "IP ranges"])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func hostileNamesArriveUnchanged(shape: TestDatabase.Shape) throws {
        let device = "evil\", \"boot-file-name\": \"x\n{{ r.mac }}{% raw %}'q' Zürich ☃"
        let interface = "eth0 */ # {# c #}"
        let sql = """
            SELECT fx_primary(fx_ip('192.0.2.60/24', fx_interface(fx_device($q$\(device)$q$), $q$\(interface)$q$,
                                    '02:00:00:00:00:06')));
            """
        let (snapshot, _) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        let reservation = try #require(snapshot.reservations.first)
        #expect(reservation.name == device)
        #expect(reservation.hostname == device)
        #expect(reservation.interface == interface)
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func placeholderMACIsReportedAndSkipped(shape: TestDatabase.Shape) throws {
        let setup = "SELECT fx_primary(fx_ip('192.0.2.65/24', fx_interface(fx_device('zero'), 'eth0', '00:00:00:00:00:00')));"
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: setup) { try $0.read() }
        #expect(snapshot.reservations.isEmpty)
        #expect(warnings.map(\.message) == [#"device "zero" interface "eth0" IP 192.0.2.65/24 (IP id 1): MAC 00:00:00:00:00:00 is all zeros, not a NIC's address; no reservation"#])
    }

    /// The address queries have no ORDER BY: the warnings must still come in IP-id order, whatever order the
    /// server's scan finds the rows in (an UPDATE moves a row to the end of its table).
    @Test(arguments: TestDatabase.Shape.allCases)
    func warningsComeInIPIDOrderWhateverOrderTheServerReturnsRowsIn(shape: TestDatabase.Shape) throws {
        let setup = """
            SELECT fx_primary(fx_ip('192.0.2.66/24', fx_interface(fx_device('zero1'), 'eth0', '00:00:00:00:00:00')));
            SELECT fx_primary(fx_ip('192.0.2.67/24', fx_interface(fx_device('zero2'), 'eth0', '00:00:00:00:00:00')));
            SELECT fx_primary(fx_ip('192.0.2.68/24', fx_interface(fx_device('zero3'), 'eth0', '00:00:00:00:00:00')));
            UPDATE ipam_ipaddress SET description = 'moved' WHERE id = 1;
            UPDATE ipam_ipaddress SET description = 'moved' WHERE id = 2;
            """
        let (snapshot, warnings, physicalOrder) = try TestDatabase.with(shape, setup: setup) { database in
            let order = try PostgresConnection(conninfo: database.conninfo)
                .execute("SELECT id FROM ipam_ipaddress").rows.map { $0.values[0] ?? "" }
            let (snapshot, warnings) = try database.read()
            return (snapshot, warnings, order)
        }
        #expect(physicalOrder == ["3", "1", "2"], "the setup should leave the rows out of id order")
        #expect(snapshot.reservations.isEmpty)
        #expect(warnings.map(\.message) == [1, 2, 3].map { n in
            #"device "zero\#(n)" interface "eth0" IP 192.0.2.6\#(5 + n)/24 (IP id \#(n)): MAC 00:00:00:00:00:00 is all zeros, not a NIC's address; no reservation"#
        })
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func duplicateMACInOneSubnetKeepsTheLowestIPID(shape: TestDatabase.Shape) throws {
        let sql = """
            SELECT fx_primary(fx_ip('192.0.2.71/24', fx_interface(fx_device('first'), 'eth0', '02:00:00:00:00:07')));
            SELECT fx_primary(fx_ip('192.0.2.72/24', fx_interface(fx_device('second'), 'eth0', '02:00:00:00:00:07')));
            SELECT fx_primary(fx_ip('10.0.0.73/24', fx_interface(fx_device('other-subnet'), 'eth0', '02:00:00:00:00:07')));
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.map(\.name) == ["other-subnet", "first"])
        #expect(warnings.map(\.message) == [#"MAC 02:00:00:00:00:07 appears twice in subnet 192.0.2.0/24 (global table): device "first" interface "eth0" IP 192.0.2.71/24 (IP id 1) and device "second" interface "eth0" IP 192.0.2.72/24 (IP id 2); keeping IP id 1, skipping IP id 2"#])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func duplicateIPKeepsTheLowestIPIDButOtherVRFsAreIndependent(shape: TestDatabase.Shape) throws {
        let sql = """
            SELECT fx_primary(fx_ip('192.0.2.80/24', fx_interface(fx_device('b'), 'eth0', '02:00:00:00:00:08')));
            SELECT fx_primary(fx_ip('192.0.2.80/24', fx_interface(fx_device('a'), 'eth0', '02:00:00:00:00:09')));
            SELECT fx_primary(fx_ip('192.0.2.80/24', fx_interface(fx_device('c'), 'eth0', '02:00:00:00:00:0a'), vrf => 'red'));
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.map(\.name) == ["b", "c"])
        #expect(snapshot.reservations.map(\.vrf) == [nil, "red"])
        #expect(warnings.map(\.kind) == [.duplicateIP])
        #expect(warnings.first?.message.contains("keeping IP id 1, skipping IP id 2") == true)
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func deviceWithoutANameGetsASubstituteAndAWarning(shape: TestDatabase.Shape) throws {
        let sql = """
            SELECT fx_primary(fx_ip('192.0.2.90/24', fx_interface(fx_device(NULL), 'eth0', '02:00:00:00:00:0b')));
            SELECT fx_primary(fx_ip('192.0.2.91/24', fx_interface(fx_device(NULL), 'eth0', '02:00:00:00:00:0c'),
                                    dns => 'named.example.com'));
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.map(\.name) == ["device-1", "named.example.com"])
        #expect(snapshot.reservations.map(\.hostname) == ["device-1", "named.example.com"])
        #expect(warnings.map(\.message) == [#"device id 1 has no name; its reservation for IP 192.0.2.90/24 (IP id 1) uses the name "device-1""#])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func prefixesCarrySiteVRFRoleTenantAndTags(shape: TestDatabase.Shape) throws {
        let sql = """
            SELECT fx_tag('ipam', 'prefix', fx_prefix('192.0.2.0/24', site => 'dc1', role => 'servers', tenant => 'acme'), 'dhcp');
            SELECT fx_prefix('2001:db8:1::/64', vrf => 'blue', status_ => 'reserved', pool => true);
            """
        let (snapshot, _) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.prefixes == [
            Prefix(id: 1, prefix: try #require(IPPrefix("192.0.2.0/24")), site: "dc1", tenant: "acme", role: "servers",
                   tags: ["dhcp"]),
            Prefix(id: 2, prefix: try #require(IPPrefix("2001:db8:1::/64")), vrf: "blue", status: "reserved", isPool: true),
        ])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func ipRangesLoseTheirMask(shape: TestDatabase.Shape) throws {
        let sql = """
            SELECT fx_tag('ipam', 'iprange', fx_range('192.0.2.100/24', '192.0.2.199/24', role => 'pool'), 'dhcp');
            SELECT fx_range('2001:db8:1::1000/64', '2001:db8:1::1fff/64', vrf => 'blue', status_ => 'deprecated');
            """
        let (snapshot, _) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.ipRanges == [
            IPRange(id: 1, start: try ip("192.0.2.100"), end: try ip("192.0.2.199"), role: "pool", tags: ["dhcp"]),
            IPRange(id: 2, start: try ip("2001:db8:1::1000"), end: try ip("2001:db8:1::1fff"), vrf: "blue",
                    status: "deprecated"),
        ])
    }

    @Test func before33AVirtualMachineTakesItsClusterSite() throws {
        let sql = """
            ALTER TABLE virtualization_virtualmachine DROP COLUMN site_id;
            ALTER TABLE dcim_device DROP COLUMN oob_ip_id; ALTER TABLE dcim_device RENAME role_id TO device_role_id;
            INSERT INTO virtualization_cluster (name, site_id) VALUES ('c1', fx_site('old-dc'));
            INSERT INTO virtualization_virtualmachine (name, cluster_id) VALUES ('legacy-vm', 1);
            SELECT fx_primary(fx_ip('192.0.2.95/24', fx_vminterface(1, 'eth0', '02:00:00:00:00:0d'), on_vm => true));
            """
        let (snapshot, _) = try TestDatabase.with(.netbox37, setup: sql) { try $0.read() }
        #expect(snapshot.schema == "3.0-3.2")
        #expect(snapshot.reservations.map(\.site) == ["old-dc"])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func aVMWithoutItsOwnSiteTakesItsClusterSite(shape: TestDatabase.Shape) throws {
        let clusterSite = shape == .netbox37 ? "site_id" : "_site_id"
        let sql = """
            INSERT INTO virtualization_cluster (name, \(clusterSite)) VALUES ('c1', fx_site('cluster-dc'));
            INSERT INTO virtualization_virtualmachine (name, cluster_id) VALUES ('clustered', 1);
            SELECT fx_primary(fx_ip('192.0.2.96/24', fx_vminterface(1, 'eth0', '02:00:00:00:00:0f'), on_vm => true));
            """
        let (snapshot, _) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.map(\.site) == ["cluster-dc"])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func snapshotFromTheDatabaseRoundTripsThroughTheCodec(shape: TestDatabase.Shape) throws {
        let sql = """
            DO $$ DECLARE a bigint; i bigint; BEGIN
                i := fx_interface(fx_device($n$weird "name"
            ☃$n$, 'dc1', 'acme'), 'eth0', '02:00:00:00:00:0e');
                a := fx_ip('192.0.2.110/24', i, dns => 'w.example.com', custom => '{"n": 12345678901, "f": 1.25, "s": "x"}');
                PERFORM fx_primary(a);
                PERFORM fx_tag('ipam', 'ipaddress', a, 'dhcp');
                PERFORM fx_primary(fx_ip('2001:db8::110/64', i, vrf => 'v6'));
                PERFORM fx_prefix('192.0.2.0/24', site => 'dc1');
                PERFORM fx_range('192.0.2.100/24', '192.0.2.199/24');
            END $$;
            """
        let (snapshot, _) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.count == 2)
        let decoded = try Snapshot.decode(snapshot.encoded())
        #expect(decoded == snapshot)
    }
}
