import Foundation
import Testing
@testable import Templating

@Suite struct PerformanceTests {
    /// 100,000 reservations must render in linear time: one buffer, no re-parsing per iteration.
    @Test func hundredThousandReservations() throws {
        var reservations: [Value] = []
        reservations.reserveCapacity(100_000)
        for index in 0..<100_000 {
            reservations.append(.map(ValueMap([
                ("ip", .object(FakeAddress("10.\(index >> 16).\((index >> 8) & 255).\(index & 255)"))),
                ("mac", .string(String(format: "02:00:00:%02x:%02x:%02x", (index >> 16) & 255, (index >> 8) & 255, index & 255))),
                ("hostname", .string("host-\(index).example.com")),
                ("tenant", .null),
            ])))
        }
        let template = #"""
        {"Dhcp4": {"subnet4": [{"id": 1, "subnet": "10.0.0.0/8", "reservations": [
        {% for r in rs sep ",\n" %}
          { "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }}, "hostname": {{ r.hostname }}, "user-context": { "tenant": "{{ r.tenant | default("none") }}", "n": {{ loop.index }} } }
        {%- endfor %}

        ]}]}}
        """#
        let start = ContinuousClock.now
        let output = try render(template, ["rs": .list(reservations)])
        let elapsed = ContinuousClock.now - start
        #expect(output.utf8.count > 10_000_000)
        #expect(output.hasSuffix("\"n\": 100000 } }\n]}]}}"))
        // Generous bound for a debug build on a shared machine; quadratic work would take minutes.
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        print("rendered 100,000 reservations in \(elapsed)")
    }
}
