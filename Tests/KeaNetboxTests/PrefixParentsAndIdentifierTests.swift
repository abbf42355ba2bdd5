import KeaNetbox
import NetBox
import Templating
import Testing

/// `p.parents`, `p.inherited_custom_fields`, the `reason=` selection and the `duid=` / `client_id=` identifiers of
/// `reservations()`, over a small readable snapshot.
@Suite struct PrefixParentsAndIdentifierTests {
    static func prefix(_ id: Int, _ cidr: String, vrf: String? = nil, fields: [String: JSONValue] = [:]) -> Prefix {
        Prefix(id: id, prefix: IPPrefix(cidr)!, vrf: vrf, status: "active", customFields: fields)
    }

    static func reservation(_ id: Int, _ ip: String, reason: Reservation.Reason = .primary,
                            interfaceFields: [String: JSONValue] = [:], ipFields: [String: JSONValue] = [:],
                            platform: String? = nil) -> Reservation {
        let address = IPAddress(ip)!
        return Reservation(
            ipID: id, ip: address, prefixLength: address.family == .v4 ? 24 : 64,
            mac: MACAddress(value: 0x0200_0000_0000 + UInt64(id))!, hostname: "h\(id)", dnsName: "", name: "h\(id)",
            kind: .device, interface: "eth0", customFields: ipFields, reason: reason,
            host: HostDetails(platform: platform), interfaceDetails: InterfaceDetails(customFields: interfaceFields))
    }

    let snapshot = Snapshot(
        schema: "4.2+",
        prefixes: [
            prefix(1, "10.0.0.0/8", fields: ["dhcp_router": .null, "dns": .string("10.0.0.53"), "domain": .string("corp")]),
            prefix(2, "10.1.0.0/16", fields: ["dhcp_router": .string("10.1.0.1"), "dns": .string("")]),
            prefix(3, "10.1.2.0/24", fields: ["dhcp_router": .null, "domain": .string("lab")]),
            prefix(4, "10.1.2.0/24", vrf: "red"),
            prefix(5, "10.0.0.0/8", vrf: "red", fields: ["dns": .string("10.255.0.53")]),
            prefix(6, "2001:db8::/32"),
        ],
        reservations: [
            reservation(10, "10.1.2.10"),
            reservation(11, "10.1.2.11", reason: .oob),
            reservation(12, "10.1.2.12", reason: .interface),
            reservation(20, "2001:db8::20", interfaceFields: ["dhcp_duid": .string("00:03:00:01:02:00:00:00:00:20")],
                        ipFields: ["dhcp_duid": .string("00:03:00:01:ff:ff:ff:ff:ff:ff")]),
            reservation(21, "2001:db8::21", ipFields: ["dhcp_duid": .string("0003000102000000002A")]),
            reservation(22, "2001:db8::22", interfaceFields: ["dhcp_duid": .string("not-a-duid")]),
            reservation(23, "2001:db8::23", interfaceFields: ["dhcp_duid": .null]),
            reservation(24, "10.1.2.24", interfaceFields: ["dhcp_client_id": .string("01-02-00-00-00-00-24")],
                        platform: "debian-12-netinst"),
        ])

    func render(_ template: String) throws(PipelineError) -> RenderedConfig {
        try ConfigRenderer(snapshot: snapshot, loader: InMemoryLoader(["t": template])).render(templateAt: "t")
    }

    @Test func parentsAreTheContainingPrefixesOfTheSameVRFNearestFirst() throws {
        #expect(try render(#"{% for q in prefix("10.1.2.0/24").parents sep " " %}{{ q.id }}{% endfor %}"#).text == "2 1")
        #expect(try render(#"{% for q in prefix("10.1.2.0/24", vrf="red").parents sep " " %}{{ q.id }}{% endfor %}"#).text
                == "5")
        #expect(try render(#"{{ prefix("10.0.0.0/8").parents | length }} {{ prefix("2001:db8::/32").parents | length }}"#).text
                == "0 0")
        #expect(try render(#"{{ prefix("10.1.2.0/24").parents[0].parents[0].id }}"#).text == "1")
    }

    @Test func inheritedCustomFieldsTakeTheNearestValueThatIsSet() throws {
        // The /24 clears the router (null) and the /16 clears dns (""): both come from further up.
        let fields = #"{% set cf = prefix("10.1.2.0/24").inherited_custom_fields %}{{ cf.dhcp_router }} {{ cf.dns }} {{ cf.domain }}"#
        #expect(try render(fields).text == #""10.1.0.1" "10.0.0.53" "lab""#)
        #expect(try render(#"{{ prefix("10.1.2.0/24").custom_fields.dhcp_router }}"#).text == "null")
    }

    @Test func theDefaultReasonsArePrimaryAndOutOfBand() throws {
        let names = #"{% for r in reservations("10.1.2.0/24"%s) sep " " %}{{ r.name }}:{{ r.reason }}{% endfor %}"#
        #expect(try render(names.replacing("%s", with: "")).text == #""h10":"primary" "h11":"oob" "h24":"primary""#)
        #expect(try render(names.replacing("%s", with: #", reason="interface""#)).text == #""h12":"interface""#)
        #expect(try render(names.replacing("%s", with: ", reason=null")).text.split(separator: " ").count == 4)
    }

    @Test func anUnknownReasonIsATemplateError() {
        #expect(throws: PipelineError.self) { try render(#"{{ reservations("10.1.2.0/24", reason="secondary") }}"#) }
    }

    @Test func aDUIDComesFromTheInterfaceElseFromTheIPAddressNormalised() throws {
        let duids = try render(#"{% for r in reservations("2001:db8::/32", duid="dhcp_duid") sep " " %}{{ r.duid }}{% endfor %}"#)
        #expect(duids.text == #""00:03:00:01:02:00:00:00:00:20" "00:03:00:01:02:00:00:00:00:2a" null null"#)
        #expect(duids.templateWarnings.map(\.message) == [#"NetBox data: device "h22" interface "eth0" IP 2001:db8::22/64 (IP id 22): custom field "dhcp_duid" of the interface is "not-a-duid", not a DUID (hex bytes such as 00:03:00:01:02:00:00:00:00:01, 3 to 130 of them); no duid for this reservation"#])
        #expect(duids.templateWarnings.map(\.rule) == ["invalid-identifier"])
    }

    @Test func withoutTheArgumentTheIdentifiersAreNull() throws {
        #expect(try render(#"{% for r in reservations("2001:db8::/32") sep " " %}{{ r.duid }}{% endfor %}"#).text
                == "null null null null")
    }

    @Test func aClientIDAndThePlatformSelectThePXEHost() throws {
        let result = try render(#"{% for r in reservations("10.1.2.0/24", client_id="dhcp_client_id", platform="debian-12-netinst") %}{{ r.client_id }}{% endfor %}"#)
        #expect(result.text == #""01:02:00:00:00:00:24""#)
        #expect(result.templateWarnings.isEmpty)
    }

    @Test(arguments: [
        ("00:03:00:01:02:00:00:00:00:01", ClientIdentifier.Kind.duid, "00:03:00:01:02:00:00:00:00:01"),
        ("00-03-00-01-02-00-00-00-00-01", .duid, "00:03:00:01:02:00:00:00:00:01"),
        ("000300010200000000AB", .duid, "00:03:00:01:02:00:00:00:00:ab"),
        ("01:02", .clientID, "01:02"),
    ])
    func identifiersAreReadLikeMACs(text: String, kind: ClientIdentifier.Kind, canonical: String) {
        #expect(ClientIdentifier(text, kind: kind)?.description == canonical)
    }

    @Test(arguments: [("00:03", ClientIdentifier.Kind.duid), ("01", .clientID), ("00:03:00-01", .duid),
                      ("0:3:0:1:2", .duid), ("00:03:00:0g", .duid), ("", .duid), ("00:03:00:", .duid)])
    func malformedIdentifiersAreRefused(text: String, kind: ClientIdentifier.Kind) {
        #expect(ClientIdentifier(text, kind: kind) == nil)
    }
}
