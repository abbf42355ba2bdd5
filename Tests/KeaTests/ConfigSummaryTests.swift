import Testing
@testable import Kea

@Suite struct ConfigSummaryTests {
    func summary(_ reservations: String, id: String = "\"id\": 1, ") throws -> ConfigSummary {
        ConfigSummary(try ConfigDocument.parse(#"{"Dhcp4": {"subnet4": [{\#(id)"subnet": "192.0.2.0/24", "reservations": [\#(reservations)]}]}}"#, file: "f"))
    }

    @Test func countsAddedRemovedAndChanged() throws {
        let old = try summary(#"{"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.10"}, {"hw-address": "02:00:00:00:00:02", "ip-address": "192.0.2.11"}"#)
        let new = try summary(#"{"ip-address": "192.0.2.12", "hw-address": "02:00:00:00:00:01"}, {"hw-address": "02:00:00:00:00:03", "ip-address": "192.0.2.13"}"#)

        #expect(old.changes(to: new) == .init(added: 1, removed: 1, changed: 1))
        #expect((new.reservationCount, new.subnetCount) == (2, 1))
    }

    /// A summary without contents (what install makes for a new or an unchanged file) has the same keys and
    /// counts; only a comparison of contents needs them.
    @Test func aSummaryWithoutContentsHasTheSameReservationsAndCounts() throws {
        let text = #"{"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "reservations": [{"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.10"}, {"hw-address": "02:00:00:00:00:02"}]}]}}"#
        let document = try ConfigDocument.parse(text, file: "f")
        let full = ConfigSummary(document), bare = ConfigSummary(document, contents: false)
        #expect(Set(bare.reservations.keys) == Set(full.reservations.keys))
        #expect((bare.reservationCount, bare.subnetCount) == (2, 1))
        #expect(ConfigSummary.empty.changes(to: bare) == .init(added: 2, removed: 0, changed: 0))
        #expect(Set(full.reservations.values).count == 2, "two different reservations have different content digests")
    }

    @Test func keyOrderAndLayoutAreNotChanges() throws {
        let old = try summary(#"{"hw-address": "02:00:00:00:00:01", "ip-address": "192.0.2.10"}"#)
        let new = try summary("{ \"ip-address\" : \"192.0.2.10\",\n \"hw-address\": \"02:00:00:00:00:01\" }")
        #expect(old.changes(to: new) == .init(added: 0, removed: 0, changed: 0))
    }

    @Test func subnetsWithoutIDAreKeyedByTheNumberKeaGivesThem() throws {
        let new = try summary(#"{"hw-address": "02:00:00:00:00:01"}"#, id: "")
        #expect(new.reservations.keys.map(\.description) == ["id 1 hw-address=02:00:00:00:00:01"])
        #expect(try summary(#"{"hw-address": "02:00:00:00:00:01"}"#).changes(to: new) == .init(added: 0, removed: 0, changed: 0))
    }

    @Test func keaNumbersSharedNetworkSubnetsFirst() throws {
        let document = try ConfigDocument.parse(#"""
            {"Dhcp4": {"subnet4": [{"subnet": "192.0.2.0/24", "reservations": [{"hw-address": "02:00:00:00:00:01"}]}],
             "shared-networks": [{"name": "n", "subnet4": [{"subnet": "198.51.100.0/24", "reservations": [{"hw-address": "02:00:00:00:00:02"}]}]}]}}
            """#, file: "f")
        #expect(ConfigSummary(document).reservations.keys.map(\.description).sorted() == [
            "id 1 hw-address=02:00:00:00:00:02", "id 2 hw-address=02:00:00:00:00:01",
        ])
    }
}
