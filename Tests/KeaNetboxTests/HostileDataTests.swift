import Foundation
import Kea
import KeaNetbox
import NetBox
import Templating
import Testing

/// Hostile NetBox values through the whole pipeline: generated names and descriptions go through the lookups into
/// value, string and comment positions, and Kea's own dialect reader (the Kea module's) must read the result back
/// with every value exactly as NetBox had it and not one key more.
@Suite struct HostileDataTests {
    static let template = """
        {
          "Dhcp4": {
            "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24", "reservations": [
        {% for r in reservations("192.0.2.0/24") sep "," %}
              // {{ r.name }} / {{ r.description }}
              /* {{ r.name }} */ # {{ r.description }}
              { "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }}, "hostname": {{ r.hostname }},
                "user-context": { "name": "{{ r.name }}", "d": {{ r.description }}, "cf": {{ r.custom_fields }} } }
        {% endfor %}
            ] } ]
          }
        }

        """

    /// Pieces that break naive generators: quotes, escapes, control characters, comment and template syntax,
    /// non-ASCII (which must stay raw UTF-8 for Kea), U+2028.
    static let pieces = ["\"", "\\", "\\\"", "\n", "\r\n", "\t", "\u{0}", "\u{1}", "\u{1f}", "\u{7f}", "*/", "/*", "//",
                         "#", "{{ netbox }}", "{% error \"x\" %}", "{#", "#}", "\", \"boot-file-name\": \"x", "}", "]",
                         "café", "Zürich", "😀", "\u{2028}", "\u{00ff}", "ü\u{0308}", " ", "a", "-", ":", ","]

    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func hostileString(_ random: inout SplitMix64) -> String {
        (0..<Int.random(in: 1...8, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func hostileValuesReadBackExactlyThroughKeasDialect(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        var reservations: [Reservation] = []
        for index in 0..<60 {
            let name = Self.hostileString(&random)
            reservations.append(Reservation(
                ipID: index + 1, ip: try #require(IPAddress("192.0.2.\(index + 10)")), prefixLength: 24,
                mac: try #require(MACAddress("02:00:00:00:01:\(String(format: "%02x", index))")),
                hostname: name, dnsName: name, name: Self.hostileString(&random), kind: .device, interface: "eth0",
                description: Self.hostileString(&random),
                customFields: ["k": .string(Self.hostileString(&random)), Self.hostileString(&random): .integer(index)]))
        }
        let snapshot = Snapshot(schema: "4.2+", reservations: reservations)
        let renderer = ConfigRenderer(snapshot: snapshot, loader: InMemoryLoader(["t": Self.template]))
        let text = try renderer.render(templateAt: "t").text

        let document = try ConfigDocument.parse(text, file: "rendered")
        let subnets = try #require(document.server?["subnet4"]?.arrayValue)
        #expect(subnets.count == 1)
        #expect(subnets[0].objectMembers?.map(\.key) == ["id", "subnet", "reservations"])
        let rendered = try #require(subnets[0]["reservations"]?.arrayValue)
        #expect(rendered.count == reservations.count)
        for (entry, reservation) in zip(rendered, reservations) {
            #expect(entry.objectMembers?.map(\.key) == ["hw-address", "ip-address", "hostname", "user-context"])
            #expect(entry["hostname"]?.stringValue == reservation.hostname)
            #expect(entry["user-context"]?["name"]?.stringValue == reservation.name)
            #expect(entry["user-context"]?["d"]?.stringValue == reservation.description)
            let customFields = try #require(entry["user-context"]?["cf"]?.objectMembers)
            #expect(customFields.count == 2)
            #expect(entry["user-context"]?["cf"]?["k"]?.stringValue == reservation.customFields["k"].flatMap {
                if case .string(let text) = $0 { text } else { nil }
            })
        }
        #expect(!text.contains("\\u01"), "no \\u escapes above 00ff: Kea rejects them")
    }
}
