import Testing
import NetBox

@Suite struct IPAddressTests {
    @Test(arguments: ["192.0.2.1", "0.0.0.0", "255.255.255.255", "10.20.30.40"])
    func parsesAndPrintsDottedQuad(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.family == .v4)
        #expect(address.description == text)
    }

    @Test(arguments: ["192.0.2", "192.0.2.1.5", "192.0.2.256", "192.0.2.01", "192.0.2.-1", " 192.0.2.1", "192.0.2.1 ",
                      "", "1..2.3", "192.0.2.1/24", "a.b.c.d", "192.0.2.١",
                      "192.0.2.1.", ".192.0.2.1", "192.0.2.0255", "192.0.2.00", "192.0.2.1000", "192.0.2.+1", "1.2.3.4\0"])
    func rejectsMalformedIPv4(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: [
        ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),   // leftmost of two equal runs
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),         // longest run wins over the leftmost
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), // a single zero group is not compressed
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("0:0:0:0:0:ffff:c000:0201", "::ffff:192.0.2.1"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("1:2:3:4:5:6:192.0.2.1", "1:2:3:4:5:6:c000:201"), // dotted tail without "::"
        ("1:2:3:4:5::192.0.2.1", "1:2:3:4:5:0:c000:201"),  // "::" for exactly one group before a dotted tail
        ("::0.0.0.1", "::1"),
        ("1::2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
        ("ABCD:EF01::", "abcd:ef01::"),
    ])
    func printsIPv6InRFC5952Form(input: String, canonical: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.family == .v6)
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test(arguments: ["1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "1:2:3:4:5:6:7", "12345::", "fe80::1%eth0", "g::1",
                      ":1::", "1::2:", "::192.0.2.1.1", "::ffff:192.0.2.01", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7:192.0.2.1",
                      "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6::192.0.2.1", "192.0.2.1::", "1:192.0.2.1::", "::1::", "1:::2",
                      "::ffff:192.0.2", "1:2:3:4:5:6:7:8:", ":", "::g", "1:2:3:4:5:6:7:８", "00000::1"])
    func rejectsMalformedIPv6(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func ordersIPv4BeforeIPv6ThenNumerically() throws {
        let texts = ["::1", "10.0.0.2", "2001:db8::1", "9.255.255.255", "10.0.0.10", "::"]
        let sorted = try texts.map { try #require(IPAddress($0)) }.sorted().map(\.description)
        #expect(sorted == ["9.255.255.255", "10.0.0.2", "10.0.0.10", "::", "::1", "2001:db8::1"])
    }

    @Test func exposesNetworkOrderBytes() throws {
        #expect(try #require(IPAddress("192.0.2.1")).bytes == [192, 0, 2, 1])
        let v6 = try #require(IPAddress("2001:db8::ff"))
        #expect(v6.bytes == [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff])
    }
}
