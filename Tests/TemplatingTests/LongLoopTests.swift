import Foundation
import Testing
@testable import Templating

/// A long loop renders every item once, in order, with loop variables and separators intact. Speed is the
/// benchmark's business (scripts/bench), not the test suite's.
@Suite struct LongLoopTests {
    @Test func tenThousandReservationsRenderInOrder() throws {
        var reservations: [Value] = []
        reservations.reserveCapacity(10_000)
        for index in 0..<10_000 {
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
        let output = try render(template, ["rs": .list(reservations)])
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 10_000 + 2)
        #expect(lines[1] == #"  { "hw-address": "02:00:00:00:00:00", "ip-address": "10.0.0.0", "hostname": "host-0.example.com", "user-context": { "tenant": "none", "n": 1 } },"#)
        #expect(output.hasSuffix(#"{ "hw-address": "02:00:00:00:27:0f", "ip-address": "10.0.39.15", "hostname": "host-9999.example.com", "user-context": { "tenant": "none", "n": 10000 } }"# + "\n]}]}}"))
    }

    /// With the size of the file it replaces as a hint, the text is written into one buffer of that size made at
    /// once (no growth by doubling), and it is the same text; a wrong hint changes nothing but memory.
    @Test func anExpectedSizeMakesTheBufferOnceAndChangesNoByte() throws {
        let items: [Value] = (0..<20_000).map { .string("host-\($0).example.com") }
        let template = "[\n{% for h in hs sep \",\" %}\n  {{ h }}\n{% endfor %}\n]\n"
        let environment = TemplateEnvironment(globals: ["hs": .list(items)])
        let source = TemplateSource(path: "t.json", text: template)
        let plain = try environment.render(source: source)
        #expect(plain.bytes.count > 400_000)
        let hinted = try environment.render(source: source, expectedSize: plain.bytes.count)
        #expect(hinted.bytes == plain.bytes)
        #expect(hinted.bytes.capacity >= plain.bytes.count && hinted.bytes.capacity < plain.bytes.count * 2,
                "one buffer of about the expected size, not one grown by doubling")
        for wrong in [1, 10, plain.bytes.count / 3, plain.bytes.count * 4] {
            #expect(try environment.render(source: source, expectedSize: wrong).bytes == plain.bytes)
        }
    }
}
