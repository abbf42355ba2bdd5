import Testing
import NetBox

@Suite struct MACAddressTests {
    @Test(arguments: ["02:00:5e:10:00:0a", "02:00:5E:10:00:0A", "02-00-5E-10-00-0A", "0200.5e10.000a", "02005e10000a"])
    func acceptsCommonNotations(text: String) throws {
        #expect(try #require(MACAddress(text)).description == "02:00:5e:10:00:0a")
    }

    @Test(arguments: ["02:00:5e:10:00", "02:00:5e:10:00:0g", "02:00-5e:10:00:0a", "2:0:5e:10:0:a", "0200.5e10.000",
                      "02005e10000a0b", "", "02:00:5e:10:00:0a:0b", "０2:00:5e:10:00:0a",
                      // separators in the wrong place or of the wrong kind for the length
                      "02:005e:10:00:0a:", "02.00.5e.10.00.0a", "020.05e10.000a", "0200-5e10-000a", "02:00:5e:10:00:0 ",
                      "02005e10000\u{301}", "0x005e10000a", "02005e10000a\n"])
    func rejectsMalformed(text: String) {
        #expect(MACAddress(text) == nil)
    }

    @Test func equalAcrossNotationsAndOrdered() throws {
        #expect(MACAddress("AA-BB-CC-00-11-22") == MACAddress("aabb.cc00.1122"))
        let low = try #require(MACAddress("00:00:00:00:00:01"))
        let high = try #require(MACAddress("ff:00:00:00:00:00"))
        #expect(low < high)
    }

    @Test(arguments: [("02:00:5e:10:00:0a", true), ("00:00:00:00:00:00", false), ("ff:ff:ff:ff:ff:ff", false),
                      ("01:00:5e:00:00:01", false), ("00:00:00:00:00:01", true)])
    func assignableExcludesZeroAndGroupAddresses(text: String, assignable: Bool) throws {
        #expect(try #require(MACAddress(text)).isAssignable == assignable)
    }
}
