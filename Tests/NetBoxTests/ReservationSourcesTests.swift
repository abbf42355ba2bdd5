import Foundation
import Testing
@testable import NetBox

/// Which NetBox addresses become reservations besides the primary ones, and what the reader brings along from the
/// device or VM and the interface, on both schema generations.
@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipReason))
struct ReservationSourcesTests {
    @Test(arguments: TestDatabase.Shape.allCases)
    func aBMCOnItsOwnInterfaceIsReservedThroughTheOutOfBandIP(shape: TestDatabase.Shape) throws {
        let sql = """
            DO $$ DECLARE d bigint; BEGIN
                d := fx_device('srv1');
                PERFORM fx_primary(fx_ip('192.0.2.10/24', fx_interface(d, 'eth0', '02:00:00:00:00:01')));
                PERFORM fx_oob(fx_ip('10.9.0.10/24', fx_interface(d, 'iDRAC', '02:00:00:00:0b:01'), dns => 'srv1-bmc'));
            END $$;
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(warnings.isEmpty)
        #expect(snapshot.reservations.map(\.ip.description) == ["10.9.0.10", "192.0.2.10"])
        #expect(snapshot.reservations.map(\.reason) == [.oob, .primary])
        #expect(snapshot.reservations.map(\.interface) == ["iDRAC", "eth0"])
        #expect(snapshot.reservations.map(\.mac.description) == ["02:00:00:00:0b:01", "02:00:00:00:00:01"])
        #expect(snapshot.reservations.map(\.hostname) == ["srv1-bmc", "srv1"])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func anOutOfBandIPOnAnInterfaceWithoutMACIsAWarning(shape: TestDatabase.Shape) throws {
        let sql = """
            DO $$ DECLARE d bigint; BEGIN
                d := fx_device('srv2');
                PERFORM fx_oob(fx_ip('10.9.0.11/24', fx_interface(d, 'iLO')));
            END $$;
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.isEmpty)
        #expect(warnings.map(\.kind) == [.missingMAC])
        #expect(warnings.map(\.message) == [#"device "srv2" interface "iLO" IP 10.9.0.11/24 (IP id 1, out-of-band IP): the interface holding the out-of-band IP has no MAC address; no reservation"#])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func twoAddressesOfOneInterfaceInOneSubnetKeepThePrimaryAndNameBoth(shape: TestDatabase.Shape) throws {
        // The secondary address has the lower IP id: the primary one still wins, so the default lookup keeps it.
        let sql = """
            DO $$ DECLARE i bigint; BEGIN
                i := fx_interface(fx_device('web'), 'eth0', '02:00:00:00:00:21');
                PERFORM fx_ip('192.0.2.21/24', i);
                PERFORM fx_primary(fx_ip('192.0.2.20/24', i));
                PERFORM fx_ip('198.51.100.20/24', i);
            END $$;
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.map(\.ip.description) == ["192.0.2.20", "198.51.100.20"])
        #expect(snapshot.reservations.map(\.reason) == [.primary, .interface])
        #expect(warnings.map(\.message) == [#"MAC 02:00:00:00:00:21 appears twice in subnet 192.0.2.0/24 (global table): device "web" interface "eth0" IP 192.0.2.20/24 (IP id 2) and device "web" interface "eth0" IP 192.0.2.21/24 (IP id 1, interface address); keeping IP id 2, skipping IP id 1"#])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func theDeviceAndItsInterfaceComeAlong(shape: TestDatabase.Shape) throws {
        let sql = """
            DO $$ DECLARE d bigint; i bigint; BEGIN
                d := fx_device('pxe1');
                PERFORM fx_device_details(d, 'compute', 'debian-12', 'dell', 'poweredge-r650');
                UPDATE dcim_device SET status = 'planned', custom_field_data = '{"rack_unit": 12, "boot": null}' WHERE id = d;
                PERFORM fx_tag('dcim', 'device', d, 'pxe');
                PERFORM fx_tag('dcim', 'device', d, 'bare-metal');
                i := fx_interface(d, 'eno1', '02:00:00:00:00:31');
                UPDATE dcim_interface SET custom_field_data = '{"duid": "00:03:00:01:02:00:00:00:00:31"}',
                                          untagged_vlan_id = fx_vlan(120, 'provisioning') WHERE id = i;
                PERFORM fx_tag('dcim', 'interface', i, 'uplink');
                PERFORM fx_primary(fx_ip('192.0.2.31/24', i));
            END $$;
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(warnings.isEmpty)
        let reservation = try #require(snapshot.reservations.first)
        #expect(reservation.host == HostDetails(
            role: "compute", platform: "debian-12", deviceType: "poweredge-r650", manufacturer: "dell",
            status: "planned", tags: ["bare-metal", "pxe"], customFields: ["rack_unit": .integer(12), "boot": .null]))
        #expect(reservation.interfaceDetails == InterfaceDetails(
            tags: ["uplink"], customFields: ["duid": .string("00:03:00:01:02:00:00:00:00:31")],
            untaggedVLAN: VLAN(vid: 120, name: "provisioning")))
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func aVirtualMachineHasRoleAndPlatformButNoDeviceType(shape: TestDatabase.Shape) throws {
        let sql = """
            INSERT INTO dcim_devicerole (name, slug) VALUES ('Web', 'web');
            INSERT INTO dcim_platform (name, slug) VALUES ('Ubuntu', 'ubuntu-24');
            DO $$ DECLARE v bigint; BEGIN
                v := fx_vm('vm1');
                UPDATE virtualization_virtualmachine SET role_id = 1, platform_id = 1,
                       custom_field_data = '{"owner": "team-a"}' WHERE id = v;
                PERFORM fx_tag('virtualization', 'virtualmachine', v, 'managed');
                PERFORM fx_primary(fx_ip('192.0.2.41/24', fx_vminterface(v, 'ens3', '52:54:00:00:00:41'), on_vm => true));
            END $$;
            """
        let (snapshot, _) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.reservations.map(\.host) == [HostDetails(
            role: "web", platform: "ubuntu-24", status: "active", tags: ["managed"],
            customFields: ["owner": .string("team-a")])])
    }

    @Test(arguments: TestDatabase.Shape.allCases)
    func prefixesCarryTheirVLAN(shape: TestDatabase.Shape) throws {
        let sql = "SELECT fx_prefix('192.0.2.0/24'); UPDATE ipam_prefix SET vlan_id = fx_vlan(30, 'office');"
        let (snapshot, _) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(snapshot.prefixes.map(\.vlan) == [VLAN(vid: 30, name: "office")])
    }

    @Test func before36ThereIsNoOutOfBandIPAndTheRoleColumnHasItsOldName() throws {
        let sql = """
            ALTER TABLE dcim_device DROP COLUMN oob_ip_id; ALTER TABLE dcim_device RENAME role_id TO device_role_id;
            DO $$ DECLARE d bigint; BEGIN
                d := fx_device('old');
                INSERT INTO dcim_devicerole (name, slug) VALUES ('Server', 'server');
                UPDATE dcim_device SET device_role_id = 1 WHERE id = d;
                PERFORM fx_primary(fx_ip('192.0.2.50/24', fx_interface(d, 'eth0', '02:00:00:00:00:50')));
            END $$;
            """
        let (snapshot, _) = try TestDatabase.with(.netbox37, setup: sql) { try $0.read() }
        #expect(snapshot.schema == "3.3-3.5")
        #expect(snapshot.reservations.map(\.host.role) == ["server"])
    }
}
