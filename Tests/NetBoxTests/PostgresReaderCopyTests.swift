import Foundation
import Testing
@testable import NetBox
@testable import PostgreSQL

/// The reader's address rows travel as COPY text, where tabs, newlines and backslashes are escaped: NetBox values
/// holding them (names, descriptions, tags, the JSON of custom fields, whose own escapes then carry a backslash)
/// must arrive exactly as stored, for devices and VMs on both schema generations.
@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipReason))
struct PostgresReaderCopyTests {
    @Test(arguments: TestDatabase.Shape.allCases)
    func tabsNewlinesAndBackslashesArriveAsStored(shape: TestDatabase.Shape) throws {
        let device = "tab\there\nnewline \\N back\\slash \\t \r end\\"
        let interface = "eth0\t\\x41"
        let description = "\\\\ two\tbackslashes, \u{01}\u{1f} and \\101"
        let tag = "t\\ag"
        let sql = """
            SELECT fx_primary(fx_ip('192.0.2.61/24', fx_interface(fx_device($q$\(device)$q$), $q$\(interface)$q$,
                                    '02:00:00:00:00:16'), custom => '{"note": "a\\tb\\\\c\\nd \\"q\\" Zürich", "n": 7}'));
            UPDATE ipam_ipaddress SET description = $q$\(description)$q$;
            SELECT fx_tag('ipam', 'ipaddress', (SELECT id FROM ipam_ipaddress), $q$\(tag)$q$);
            SELECT fx_primary(fx_ip('192.0.2.62/24', fx_vminterface(fx_vm($q$\(device) vm$q$), 'eth1', '02:00:00:00:00:17'),
                                    on_vm => true));
            """
        let (snapshot, warnings) = try TestDatabase.with(shape, setup: sql) { try $0.read() }
        #expect(warnings.isEmpty)
        try #require(snapshot.reservations.count == 2)
        let onDevice = snapshot.reservations[0], onVM = snapshot.reservations[1]
        #expect(onDevice.name == device)
        #expect(onDevice.interface == interface)
        #expect(onDevice.description == description)
        #expect(onDevice.tags == [tag])
        #expect(onDevice.customFields == ["note": .string("a\tb\\c\nd \"q\" Zürich"), "n": .integer(7)])
        #expect(onVM.name == device + " vm")
        #expect(onVM.kind == .vm)
        #expect(onVM.mac.description == "02:00:00:00:00:17")
    }
}
