import Testing
import NetBox

@Suite struct IPPrefixTests {
    @Test func parsesNetworkAndLength() throws {
        let prefix = try #require(IPPrefix("192.0.2.0/24"))
        #expect(prefix.network.description == "192.0.2.0")
        #expect(prefix.length == 24)
        #expect(prefix.family == .v4)
        #expect(prefix.last.description == "192.0.2.255")
        #expect(prefix.netmask.description == "255.255.255.0")
        #expect(prefix.description == "192.0.2.0/24")
    }

    @Test(arguments: ["192.0.2.1/24", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0", "10.0.0.0/024", "2001:db8::1/64",
                      "2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/24/1"])
    func rejectsHostBitsAndBadLengths(text: String) {
        #expect(IPPrefix(text) == nil)
    }

    @Test func normalisingInitMasksHostBits() throws {
        let address = try #require(IPAddress("192.0.2.77"))
        #expect(IPPrefix(address: address, length: 26)?.description == "192.0.2.64/26")
        #expect(IPPrefix(normalizing: "2001:db8:1:2:3::1/48")?.description == "2001:db8:1::/48")
        #expect(IPPrefix(address: address, length: 33) == nil)
    }

    @Test func edgeLengths() throws {
        let all = try #require(IPPrefix("0.0.0.0/0"))
        #expect(all.last.description == "255.255.255.255")
        let host = try #require(IPPrefix("2001:db8::5/128"))
        #expect(host.last == host.network)
        let v6all = try #require(IPPrefix("::/0"))
        #expect(v6all.last.description == "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
        #expect(try #require(IPPrefix("2001:db8::/63")).last.description == "2001:db8:0:1:ffff:ffff:ffff:ffff")
    }

    @Test func containsAddressesOfItsOwnFamilyOnly() throws {
        let prefix = try #require(IPPrefix("10.1.0.0/16"))
        #expect(prefix.contains(try #require(IPAddress("10.1.255.255"))))
        #expect(!prefix.contains(try #require(IPAddress("10.2.0.0"))))
        #expect(!prefix.contains(try #require(IPAddress("::ffff:10.1.0.1"))))
        let v6 = try #require(IPPrefix("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::"))))
    }

    @Test func containsNarrowerPrefixes() throws {
        let wide = try #require(IPPrefix("10.0.0.0/8"))
        let narrow = try #require(IPPrefix("10.20.0.0/16"))
        #expect(wide.contains(narrow))
        #expect(!narrow.contains(wide))
        #expect(wide.contains(wide))
    }

    @Test func ordersByFamilyNetworkThenLength() throws {
        let texts = ["2001:db8::/32", "10.0.0.0/16", "10.0.0.0/8", "9.0.0.0/8", "::/0"]
        let sorted = try texts.map { try #require(IPPrefix($0)) }.sorted().map(\.description)
        #expect(sorted == ["9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "::/0", "2001:db8::/32"])
    }
}
