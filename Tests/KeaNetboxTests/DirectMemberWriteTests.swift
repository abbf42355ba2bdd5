import Diagnostics
import KeaNetbox
import NetBox
import Templating
import Testing

/// The reservation members the renderer writes without a `Value` (`ReservationValue.writeMember`) must come out
/// exactly as their `Value` would (forced here through `| default(null)`, which takes the general path), in every
/// JSON context, with NetBox data that tries to break out of it.
@Suite struct DirectMemberWriteTests {
    static let hostile = "evil\", \"boot-file-name\": \"x\\ */ /* // # \n\r\t\u{0}\u{1f} caf\u{e9} \u{2028} *"

    static let snapshot = Snapshot(schema: "4.2+", prefixes: [], ipRanges: [], reservations: [
        Reservation(ipID: 7, ip: IPAddress("192.0.2.10")!, prefixLength: 24, mac: MACAddress("02:00:00:00:00:0a")!,
                    hostname: hostile, dnsName: hostile + "dns", name: "*/" + hostile, kind: .device,
                    interface: hostile + "if", status: "active", description: "/" + hostile, reason: .primary),
        Reservation(ipID: 8, ip: IPAddress("2001:db8::a:1")!, prefixLength: 64, mac: MACAddress("AA-BB-CC-00-11-22")!,
                    hostname: "plain.example.net", dnsName: "", name: "plain", kind: .vm, interface: "eth0",
                    status: "active", description: "", reason: .oob),
    ])

    static let members = ["mac", "ip", "ip_id", "prefix_length", "family", "hostname", "dns_name", "name", "kind",
                          "interface", "status", "description", "reason"]

    func render(_ template: String) throws(PipelineError) -> String {
        try ConfigRenderer(snapshot: Self.snapshot, loader: InMemoryLoader(["t": template])).render(templateAt: "t").text
    }

    static func places(_ expression: String) -> String {
        """
        { "v": {{ \(expression) }}, "s": "<{{ \(expression) }}>" // {{ \(expression) }}
        /* {{ \(expression) }} */ }

        """
    }

    @Test(arguments: members)
    func aDirectlyWrittenMemberEqualsItsValueInEveryContext(member: String) throws {
        let direct = try render(#"{% for r in reservations("192.0.2.0/24") %}\#(Self.places("r.\(member)")){% endfor %}"#
                                + #"{% for r in reservations("2001:db8::/64") %}\#(Self.places("r.\(member)")){% endfor %}"#)
        let viaValue = try render(#"{% for r in reservations("192.0.2.0/24") %}\#(Self.places("r.\(member) | default(null)")){% endfor %}"#
                                  + #"{% for r in reservations("2001:db8::/64") %}\#(Self.places("r.\(member) | default(null)")){% endfor %}"#)
        #expect(direct == viaValue)
        #expect(direct.components(separatedBy: #""v": "#).count == 3, "both reservations rendered")
    }

    @Test func hostileTextStaysOneStringAndAddressesAreTheirCanonicalText() throws {
        let text = try render(#"{% for r in reservations("192.0.2.0/24") %}{{ r.mac }} {{ r.ip }} {{ r.hostname }}{% endfor %} "#
                              + #"{% for r in reservations("2001:db8::/64") %}{{ r.mac }} "{{ r.ip }}" {{ r.ip_id }}{% endfor %}"#)
        // The one JSON string writer's form: quotes, backslashes and C0 controls escaped, the rest raw UTF-8.
        #expect(text == #""02:00:00:00:00:0a" "192.0.2.10" "# + JSONString.quoted(Self.hostile) + " "
                + #""aa:bb:cc:00:11:22" "2001:db8::a:1" 8"#)
        #expect(JSONString.quoted(Self.hostile).hasPrefix(#""evil\", \"boot-file-name\": \"x\\ */"#))
    }

    @Test func theCommentContextsNeutraliseLineBreaksAndCommentEnds() throws {
        let text = try render("{% for r in reservations(\"192.0.2.0/24\") %}/* {{ r.name }} */ // {{ r.description }}\n{% endfor %}")
        #expect(text == "/* * /evil\", \"boot-file-name\": \"x\\ * / /* // #   \t   caf\u{e9}   *  */"
                + " // /evil\", \"boot-file-name\": \"x\\ */ /* // #   \t   caf\u{e9}   *\n")
    }
}
