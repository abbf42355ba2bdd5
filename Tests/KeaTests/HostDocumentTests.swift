import Testing
@testable import Kea

/// The rendered hosts document becomes host database rows, or located errors naming what Kea's tables cannot hold.
@Suite struct HostDocumentTests {
    func read(_ text: String, configs: [String] = []) throws -> HostDocument {
        let documents = try configs.enumerated().map { try ConfigDocument.parse($1, file: "kea\($0).conf") }
        return try HostDocument.read(text, file: "hosts.json", configs: documents)
    }

    /// The errors of a rejected document, as `rule line:column message`.
    func errors(_ text: String, configs: [String] = []) -> [String] {
        do {
            let documents = try configs.enumerated().map { try ConfigDocument.parse($1, file: "kea\($0).conf") }
            _ = try HostDocument.read(text, file: "hosts.json", configs: documents)
            return []
        } catch let error as InstallError {
            guard case .findings(let findings) = error else { return ["\(error)"] }
            return findings.filter { $0.severity == .error }.map { "\($0.rule ?? "-") \($0.line):\($0.column) \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func aReservationBecomesOneRowWithItsOptionsAndTheMark() throws {
        let document = try read("""
            {"Dhcp4": {"subnet4": [{"id": 12, "subnet": "192.0.2.0/24", "reservations": [
              {"hw-address": "02:00:00:00:00:0A", "ip-address": "192.0.2.10", "hostname": "a",
               "option-data": [{"name": "routers", "data": " 192.0.2.1 , 192.0.2.2"}], "user-context": {"id": 5}}]}]}}
            """)
        let host = try #require(document.reservations[.v4]?.first)
        #expect(host.key == .init(family: .v4, subnetID: 12, identifierType: .hwAddress, identifier: [2, 0, 0, 0, 0, 10]))
        #expect(host.ipv4Address == 0xC000_020A)
        #expect(host.options == [HostOption(code: 3, space: "dhcp4", formattedValue: "192.0.2.1,192.0.2.2", value: nil, persistent: false)])
        #expect(host.userContext == #"{"kea-netbox":"managed","id":5}"#)
        #expect(document.reservations[.v6] == nil, "a family the document does not name is not synced")
    }

    @Test func globalReservationsHaveSubnetIdZeroAndTextIdentifiersKeepTheirBytes() throws {
        let document = try read(#"{"Dhcp4": {"reservations": [{"flex-id": "'abc'", "hostname": "g"}]}}"#)
        let host = try #require(document.reservations[.v4]?.first)
        #expect(host.key == .init(family: .v4, subnetID: 0, identifierType: .flexID, identifier: Array("abc".utf8)))
    }

    @Test func whatKeasHostTablesCannotHoldIsAnErrorAtItsPlace() {
        let long = String(repeating: "x", count: 256)
        #expect(errors("""
            {"Dhcp4": {"subnet4": [{"subnet": "192.0.2.0/24", "reservations": []},
              {"id": 2, "subnet": "198.51.100.0/24", "reservations": [
              {"hw-address": "02:00:00:00:00:01", "reservation-client-classes": 1},
              {"hw-address": "02:00:00:00:00:02", "hostname": "\(long)"},
              {"hw-address": "02:00:00:00:00:03", "client-classes": ["a,b"]},
              {"hw-address": "02:00:00:00:00:04", "option-data": [{"name": "no-such-option", "data": "1"}]},
              {"hw-address": "02:00:00:00:00:05", "user-context": {"kea-netbox": "forged"}}]}]}}
            """) == [
                "subnet-without-id 1:24 a subnet in a hosts document needs its \"id\": Kea's host database keys reservations by subnet id",
                "host-database-keyword 3:69 \"reservation-client-classes\" is not a DHCPv4 reservation keyword kea-netbox can store in Kea's host database (boot-file-name, circuit-id, client-classes, client-id, comment, duid, flex-id, hostname, hw-address, ip-address, next-server, option-data, server-hostname, user-context)",
                "value-too-long 4:51 \"hostname\" is 256 bytes long; Kea's host database holds at most 255",
                "invalid-client-class 5:58 invalid client class \"a,b\": a non-empty name without commas",
                "option-code-unknown 6:64 option \"no-such-option\" (space dhcp4): Kea's host database stores options by code; give its \"code\"",
                "reserved-user-context-key 7:70 \"kea-netbox\" in a user-context is kea-netbox's own mark; use another key",
            ])
    }

    @Test func subnetIdsMustBeTheConfigsWithTheSamePrefix() {
        let config = #"{"Dhcp6": {"subnet6": [{"id": 1, "subnet": "2001:db8:1::/64"}, {"id": 2, "subnet": "2001:db8:9::/64"}]}}"#
        #expect(errors("""
            {"Dhcp6": {"subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "reservations": []},
              {"id": 2, "subnet": "2001:db8:2::/64", "reservations": []},
              {"id": 3, "subnet": "2001:db8:3::/64", "reservations": []}]}}
            """, configs: [config]) == [
                "subnet-not-in-config 2:10 subnet id 2 is 2001:db8:9::/64 in kea0.conf, not 2001:db8:2::/64",
                "subnet-not-in-config 3:10 subnet id 3 is not a subnet of kea0.conf: Kea would never look these hosts up",
            ])
    }

    @Test func theSemanticChecksOfAConfigFileApply() {
        #expect(errors("""
            {"Dhcp6": {"subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "reservations": [
              {"duid": "00:03:00:01:02:00:00:00:00:01", "ip-address": "2001:db8:1::5"}]}]}}
            """) == [
                "v6-ip-address 2:59 \"ip-address\" is not a DHCPv6 reservation keyword: use \"ip-addresses\": [ … ]",
                "host-database-keyword 2:59 \"ip-address\" is not a DHCPv6 reservation keyword kea-netbox can store in Kea's host database (client-classes, comment, duid, flex-id, hostname, hw-address, ip-addresses, option-data, prefixes, user-context)",
            ])
    }

    @Test func aDocumentWithoutAServerFamilyIsRefused() {
        #expect(errors(#"{"reservations": []}"#) == [
            "hosts-document 1:1 a hosts document holds a \"Dhcp4\" and/or a \"Dhcp6\" object with \"subnet4\" / \"subnet6\" lists of subnets (\"id\", \"subnet\", \"reservations\")",
            "hosts-document 1:18 unexpected \"reservations\" at the top of a hosts document (only \"Dhcp4\" and \"Dhcp6\")",
        ])
    }
}
