import Testing
@testable import Kea

/// Each check: the finding, the path it names, and the line:column of the offending node.
@Suite struct SemanticChecksTests {
    func findings(_ text: String) throws -> [ConfigFinding] {
        SemanticChecks.run(try ConfigDocument.parse(text, file: "kea.conf"))
    }

    func errors(_ text: String) throws -> [ConfigFinding] {
        try findings(text).filter { $0.severity == .error }
    }

    @Test func cleanConfigHasNoFindings() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24",
          "pools": [{"pool": "192.0.2.100 - 192.0.2.199"}, {"pool": "192.0.2.64/27"}],
          "reservations": [{"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.10"},
                           {"hw-address": "02:00:00:00:00:02", "ip-address": "192.0.2.11"}]}]}}
        """
        #expect(try findings(text).isEmpty)
    }

    @Test func duplicateMACInASubnetIsNormalisedLikeKea() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.10"},
          {"hw-address": "2:0:0:0:0:1", "ip-address": "192.0.2.11"}]}]}}
        """
        let found = try errors(text)
        #expect(found.count == 1)
        #expect(found.first?.path == "Dhcp4.subnet4[0].reservations[1]")
        #expect(found.first?.line == 3)
        #expect(found.first?.column == 18)
        #expect(found.first?.message == "duplicate hw-address 02:00:00:00:00:01 in subnet 192.0.2.0/24: already reserved by Dhcp4.subnet4[0].reservations[0]")
        // The first of the two is a located note, not a line number in the text (a rendered config's lines mean
        // nothing to the operator; the note is moved to the template line like the finding).
        #expect(found.first?.notes.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "") \($0.message)" }
                == ["2:3 Dhcp4.subnet4[0].reservations[0] is here"])
    }

    @Test func upperCaseAndUnseparatedMACsCollide() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "AA:BB:CC:DD:EE:FF"}, {"hw-address": "aabbccddeeff"}]}]}}
        """
        #expect(try errors(text).map(\.path) == ["Dhcp4.subnet4[0].reservations[1]"])
    }

    @Test func sameMACInDifferentSubnetsIsAllowed() throws {
        let text = """
        {"Dhcp4": {"subnet4": [
          {"id": 1, "subnet": "192.0.2.0/24", "reservations": [{"hw-address": "02:00:00:00:00:01"}]},
          {"id": 2, "subnet": "198.51.100.0/24", "reservations": [{"hw-address": "02:00:00:00:00:01"}]}]}}
        """
        #expect(try findings(text).isEmpty)
    }

    @Test func dashedMACIsInvalidForKea() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "02-00-00-00-00-01"}]}]}}
        """
        let found = try errors(text)
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("invalid hw-address \"02-00-00-00-00-01\"") == true)
        #expect(found.first?.line == 2)
    }

    @Test func duplicateIPInASubnet() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.10"},
          {"hw-address": "02:00:00:00:00:02", "ip-address": "192.0.2.10"}]}]}}
        """
        let found = try errors(text)
        #expect(found.map(\.path) == ["Dhcp4.subnet4[0].reservations[1]"])
        #expect(found.first?.message.contains("duplicate reserved address 192.0.2.10") == true)
        #expect(found.first?.column == 53)
    }

    @Test func duplicateIPIsAllowedWhenKeaIsToldSo() throws {
        let text = """
        {"Dhcp4": {"ip-reservations-unique": false, "subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.10"},
          {"hw-address": "02:00:00:00:00:02", "ip-address": "192.0.2.10"}]}]}}
        """
        #expect(try errors(text).isEmpty)
    }

    @Test func reservationOutsideItsSubnet() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "02:00:00:00:00:01", "ip-address": "198.51.100.7"}]}]}}
        """
        let found = try errors(text)
        #expect(found.first?.message == "reserved address 198.51.100.7 is outside its subnet 192.0.2.0/24")
        #expect(found.first?.path == "Dhcp4.subnet4[0].reservations[0]")
        #expect(found.first.map { "\($0.line):\($0.column)" } == "2:53")
    }

    @Test func reservationOnTheNetworkAddress() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.0"}]}]}}
        """
        #expect(try errors(text).first?.message == "reserved address 192.0.2.0 is the network address of subnet 192.0.2.0/24")
    }

    @Test func reservationOnTheBroadcastAddress() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.255"}]}]}}
        """
        #expect(try errors(text).first?.message == "reserved address 192.0.2.255 is the broadcast address of subnet 192.0.2.0/24")
    }

    @Test func subnetWithHostBitsIsAWarning() throws {
        let found = try findings(#"{"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.5/24"}]}}"#)
        #expect(found.map(\.severity) == [.warning])
        #expect(found.first?.message == "subnet \"192.0.2.5/24\" has host bits set: it means 192.0.2.0/24; write that")
    }

    @Test func sharedNetworkSubnetsAreCheckedToo() throws {
        let text = """
        {"Dhcp4": {"shared-networks": [{"name": "net", "subnet4": [
          {"id": 1, "subnet": "192.0.2.0/24", "reservations": [{"hw-address": "02:00:00:00:00:01", "ip-address": "10.0.0.1"}]}]}]}}
        """
        #expect(try errors(text).map(\.path) == ["Dhcp4.shared-networks[0].subnet4[0].reservations[0]"])
    }

    @Test func duplicateSubnetIDAcrossSharedNetworks() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 5, "subnet": "192.0.2.0/24"}],
          "shared-networks": [{"name": "net", "subnet4": [{"id": 5, "subnet": "198.51.100.0/24"}]}]}}
        """
        let found = try errors(text)
        #expect(found.map(\.path) == ["Dhcp4.shared-networks[0].subnet4[0]"])
        #expect(found.first?.message == "duplicate subnet id 5: already used by Dhcp4.subnet4[0]")
        #expect(found.first?.notes.first?.location?.line == 1)
        #expect(found.first.map { "\($0.line):\($0.column)" } == "2:58")
    }

    @Test func duplicateSubnetPrefix() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24"},
                               {"id": 2, "subnet": "192.0.2.0/24"}]}}
        """
        let found = try errors(text)
        #expect(found.map(\.path) == ["Dhcp4.subnet4[1]"])
        #expect(found.first?.message.hasPrefix("duplicate subnet 192.0.2.0/24") == true)
    }

    @Test func poolOutsideItsSubnetInBothForms() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "pools": [
          {"pool": "192.0.2.200 - 192.0.3.10"}, {"pool": "198.51.100.0/25"}, {"pool": "192.0.2.128/25"}]}]}}
        """
        let found = try errors(text)
        #expect(found.map(\.path) == ["Dhcp4.subnet4[0].pools[0]", "Dhcp4.subnet4[0].pools[1]"])
        #expect(found.map(\.message) == ["pool 192.0.2.200 - 192.0.3.10 is outside its subnet 192.0.2.0/24",
                                         "pool 198.51.100.0 - 198.51.100.127 is outside its subnet 192.0.2.0/24"])
    }

    @Test func subnetWithoutIDIsAWarning() throws {
        let found = try findings(#"{"Dhcp4": {"subnet4": [{"subnet": "192.0.2.0/24"}]}}"#)
        #expect(found.count == 1)
        #expect(found.first?.severity == .warning)
        #expect(found.first?.path == "Dhcp4.subnet4[0]")
        #expect(found.first?.message.contains("numbers it by position") == true)
    }

    @Test func v6SingularIPAddressIsAnError() throws {
        let text = """
        {"Dhcp6": {"subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "reservations": [
          {"duid": "00:03:00:01:02:00:00:00:00:01", "ip-address": "2001:db8:1::10"}]}]}}
        """
        let found = try errors(text)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("\"ip-addresses\"") == true)
    }

    @Test func v6EachAddressOfIPAddressesIsChecked() throws {
        let text = """
        {"Dhcp6": {"subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "reservations": [
          {"hw-address": "02:00:00:00:00:01", "ip-addresses": ["2001:db8:1::10", "2001:db8:2::10"]},
          {"hw-address": "02:00:00:00:00:02", "ip-addresses": ["2001:db8:1:0::10"]}]}]}}
        """
        let found = try errors(text)
        #expect(found.map(\.message) == ["reserved address 2001:db8:2::10 is outside its subnet 2001:db8:1::/64",
                                         "duplicate reserved address 2001:db8:1::10 in subnet 2001:db8:1::/64: already reserved by Dhcp6.subnet6[0].reservations[0]"])
        #expect(found.map(\.path) == ["Dhcp6.subnet6[0].reservations[0]", "Dhcp6.subnet6[0].reservations[1]"])
    }

    @Test func v6DuplicateDUID() throws {
        let text = """
        {"Dhcp6": {"subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "reservations": [
          {"duid": "00:03:00:01:02:00:00:00:00:01"}, {"duid": "00030001020000000001"}]}]}}
        """
        #expect(try errors(text).first?.message.hasPrefix("duplicate duid 00:03:00:01:02:00:00:00:00:01") == true)
    }

    @Test func reservationWithTwoIdentifiers() throws {
        let text = """
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [
          {"hw-address": "02:00:00:00:00:01", "client-id": "01:02"}]}]}}
        """
        #expect(try errors(text).first?.message.contains("more than one identifier") == true)
    }

    @Test func hostIdentifierFormsMatchKea() {
        #expect(HostIdentifier.normalise("2:0:0:0:0:1", type: "hw-address") == "02:00:00:00:00:01")
        #expect(HostIdentifier.normalise("02 00 00 00 00 01", type: "hw-address") == "02:00:00:00:00:01")
        #expect(HostIdentifier.normalise("0x020000000001", type: "hw-address") == "02:00:00:00:00:01")
        #expect(HostIdentifier.normalise("AABBCCDDEEF", type: "hw-address") == "0a:ab:bc:cd:de:ef")
        #expect(HostIdentifier.normalise("aa bb:cc", type: "hw-address") == nil)
        #expect(HostIdentifier.normalise("aa::bb", type: "hw-address") == nil)
        #expect(HostIdentifier.normalise("", type: "hw-address") == nil)
        #expect(HostIdentifier.normalise("'ab'", type: "flex-id") == "61:62")
    }
}
