import KeaNetbox
import NetBox
import Templating
import Testing

/// The template lookups over a small, readable snapshot.
@Suite struct LookupTests {
    static func reservation(_ id: Int, _ ip: String, _ mac: String, name: String, vrf: String? = nil,
                            status: String = "active", site: String? = "dc1", tags: [String] = [],
                            kind: Reservation.Kind = .device) -> Reservation {
        let address = IPAddress(ip)!
        return Reservation(
            ipID: id, ip: address, prefixLength: address.family == .v4 ? 24 : 64,
            mac: MACAddress(mac)!, hostname: name + ".example.net", dnsName: name + ".example.net", name: name,
            kind: kind, interface: "eth0", site: site, tenant: nil, vrf: vrf, status: status, description: "",
            tags: tags, customFields: [:])
    }

    static func prefix(_ id: Int, _ cidr: String, vrf: String? = nil, status: String = "active",
                       tags: [String] = [], site: String? = "dc1") -> Prefix {
        let prefix = IPPrefix(cidr)!
        return Prefix(id: id, prefix: prefix, vrf: vrf, status: status, site: site,
                      tenant: nil, role: nil, isPool: false, description: "", tags: tags,
                      customFields: ["gateway": .string("x")])
    }

    static func range(_ id: Int, _ start: String, _ end: String, vrf: String? = nil) -> IPRange {
        let first = IPAddress(start)!
        return IPRange(id: id, start: first, end: IPAddress(end)!, vrf: vrf, status: "active",
                       role: nil, description: "", tags: [], customFields: [:])
    }

    let snapshot = Snapshot(
        schema: "4.2+",
        prefixes: [
            prefix(7, "2001:db8::/64"),
            prefix(5, "192.0.2.0/24", tags: ["dhcp"]),
            prefix(6, "192.0.2.0/24", vrf: "oob"),
            prefix(8, "198.51.100.0/24", status: "reserved", site: "dc2"),
        ],
        ipRanges: [
            range(2, "192.0.2.100", "192.0.2.199"),
            range(3, "192.0.2.200", "192.0.3.10"),
            range(4, "192.0.2.50", "192.0.2.60", vrf: "oob"),
        ],
        reservations: [
            reservation(12, "192.0.2.10", "02:00:00:00:00:0a", name: "b", tags: ["web"]),
            reservation(11, "192.0.2.9", "02:00:00:00:00:09", name: "a"),
            reservation(13, "192.0.2.11", "02:00:00:00:00:0b", name: "old", status: "deprecated"),
            reservation(14, "192.0.2.12", "02:00:00:00:00:0c", name: "bmc", vrf: "oob"),
            reservation(15, "192.0.3.1", "02:00:00:00:00:0d", name: "elsewhere"),
            reservation(16, "2001:db8::1", "02:00:00:00:00:0e", name: "six", kind: .vm),
        ])

    func render(_ template: String) throws(PipelineError) -> String {
        let renderer = ConfigRenderer(snapshot: snapshot, loader: InMemoryLoader(["t": template]))
        return try renderer.render(templateAt: "t").text
    }

    func renderError(_ template: String) -> String {
        do {
            _ = try render(template)
            return "(rendered)"
        } catch {
            return error.message
        }
    }

    @Test func reservationsOfASubnetInAddressOrderSkippingOtherStatusesAndVRFs() throws {
        #expect(try render(#"{% for r in reservations("192.0.2.0/24") sep "," %}{{ r.name }}{% endfor %}"#)
                == #""a","b""#)
    }

    @Test func reservationsOfAnotherStatusOrAnyStatus() throws {
        #expect(try render(#"{% for r in reservations("192.0.2.0/24", status="deprecated") %}{{ r.name }}{% endfor %}"#)
                == #""old""#)
        #expect(try render(#"{{ reservations("192.0.2.0/24", status=null) | length }}"#) == "3")
    }

    @Test func aPrefixObjectSelectsItsOwnVRF() throws {
        #expect(try render(#"{% for r in reservations(prefix("192.0.2.0/24", vrf="oob")) %}{{ r.name }}{% endfor %}"#)
                == #""bmc""#)
    }

    @Test func reservationsFilterByTag() throws {
        #expect(try render(#"{% for r in reservations("192.0.2.0/24", tag="web") %}{{ r.name }}{% endfor %}"#) == #""b""#)
    }

    @Test func reservationFieldsRenderAsJSONValues() throws {
        #expect(try render(#"{% for r in reservations("2001:db8::/64") %}{{ r.ip }} {{ r.mac }} {{ r.kind }} {{ r.family }}{% endfor %}"#)
                == #""2001:db8::1" "02:00:00:00:00:0e" "vm" 6"#)
    }

    @Test func prefixReturnsNullWhenNetBoxDoesNotHaveIt() throws {
        #expect(try render(#"{{ prefix("203.0.113.0/24") }}"#) == "null")
        #expect(try render(#"{{ prefix("192.0.2.0/24").id }} {{ prefix("192.0.2.0/24", vrf="oob").id }}"#) == "5 6")
    }

    @Test func prefixesFilterAndSortByFamilyThenAddress() throws {
        #expect(try render(#"{% for p in prefixes() sep " " %}{{ p.id }}{% endfor %}"#) == "5 6 7")
        #expect(try render(#"{% for p in prefixes(family=6) %}{{ p }}{% endfor %}"#) == #""2001:db8::/64""#)
        #expect(try render(#"{% for p in prefixes(tag="dhcp") %}{{ p.id }}{% endfor %}"#) == "5")
        #expect(try render(#"{% for p in prefixes(vrf=null) sep " " %}{{ p.id }}{% endfor %}"#) == "5 7")
        #expect(try render(#"{% for p in prefixes(status="reserved", site="dc2") %}{{ p.id }}{% endfor %}"#) == "8")
    }

    @Test func rangesInsideASubnetRenderAsKeaPools() throws {
        #expect(try render(#"{% for r in ranges(within="192.0.2.0/24") %}{ "pool": {{ r }} }{% endfor %}"#)
                == #"{ "pool": "192.0.2.100 - 192.0.2.199" }"#)
        #expect(try render(#"{% for r in ranges(within=prefix("192.0.2.0/24", vrf="oob")) %}"{{ r.start }}"{% endfor %}"#)
                == #""192.0.2.50""#)
    }

    @Test func netboxMetadata() throws {
        #expect(try render("{{ netbox.schema }}") == #""4.2+""#)
    }

    @Test func aBadSubnetArgumentIsATemplateErrorAtTheCall() {
        let message = renderError(#"{{ reservations("192.0.2.1/24") }}"#)
        #expect(message.contains("t:1:4: error:"), "\(message)")
        #expect(message.contains("error: reservations(): '192.0.2.1/24' is not a prefix"), "\(message)")
        #expect(!message.contains("reservations(): reservations()"), "the function is named once: \(message)")
    }

    @Test func aNullSubnetSaysWhy() {
        #expect(renderError(#"{{ reservations(prefix("203.0.113.0/24")) }}"#).contains("is null"))
    }

    @Test func anUnknownArgumentIsNamed() {
        #expect(renderError(#"{{ prefixes(famly=4) }}"#).contains("prefixes(): unknown argument 'famly'; did you mean 'family'?"))
    }

}
