import Diagnostics
import Foundation
import Testing
import NetBox

/// The example document of DESIGN §3.
private let designExample = #"""
{
  "format": "kea-netbox-snapshot/1",
  "netbox": { "schema": "4.2+" },
  "prefixes": [
    { "id": 12, "prefix": "192.0.2.0/24", "family": 4, "vrf": null, "status": "active", "site": "dc1",
      "tenant": null, "role": null, "is_pool": false, "description": "", "tags": ["dhcp"], "custom_fields": {} }
  ],
  "ip_ranges": [
    { "id": 3, "start": "192.0.2.100", "end": "192.0.2.199", "family": 4, "vrf": null, "status": "active",
      "role": null, "description": "", "tags": [], "custom_fields": {} }
  ],
  "reservations": [
    { "ip_id": 51, "ip": "192.0.2.10", "prefix_length": 24, "family": 4, "mac": "02:00:00:00:00:01",
      "hostname": "srv1.example.com", "dns_name": "srv1.example.com", "name": "srv1", "kind": "device",
      "interface": "eth0", "site": "dc1", "tenant": null, "vrf": null, "status": "active",
      "description": "", "tags": [], "custom_fields": {} }
  ]
}
"""#

/// Where the error points, as the command line prints it (`line:column` through the one line table).
private func decodePlace(_ text: String) -> String? {
    do {
        _ = try Snapshot.decode(Data(text.utf8))
        return nil
    } catch {
        guard let offset = error.offset else { return nil }
        let (line, column) = LineTable(Array(text.utf8)).location(of: offset)
        return "\(line):\(column)"
    }
}

private func decodeError(_ text: String) -> String? {
    do {
        _ = try Snapshot.decode(Data(text.utf8))
        return nil
    } catch {
        return error.description
    }
}

/// The DESIGN example with one reservation key replaced (or removed when `value` is nil).
private func exampleWithReservationKey(_ key: String, _ value: String?) -> String {
    let pattern = #""\#(key)": [^,}]*,? ?"#
    let replacement = value.map { #""\#(key)": \#($0), "# } ?? ""
    let parts = designExample.components(separatedBy: "\"reservations\"")
    let head = parts[0] + "\"reservations\""
    let tail = parts[1]
        .replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    return head + tail
}

@Suite struct SnapshotCodecTests {
    @Test func decodesTheDesignExample() throws {
        let snapshot = try Snapshot.decode(Data(designExample.utf8))
        #expect(snapshot.schema == "4.2+")
        #expect(snapshot.prefixes == [Prefix(id: 12, prefix: try #require(IPPrefix("192.0.2.0/24")), site: "dc1",
                                             tags: ["dhcp"])])
        #expect(snapshot.ipRanges == [IPRange(id: 3, start: try #require(IPAddress("192.0.2.100")),
                                              end: try #require(IPAddress("192.0.2.199")))])
        let reservation = try #require(snapshot.reservations.first)
        #expect(reservation == Reservation(ipID: 51, ip: try #require(IPAddress("192.0.2.10")), prefixLength: 24,
                                           mac: try #require(MACAddress("02:00:00:00:00:01")),
                                           hostname: "srv1.example.com", dnsName: "srv1.example.com", name: "srv1",
                                           kind: .device, interface: "eth0", site: "dc1"))
    }

    @Test func missingKeyNamesTheKeyAndTheEntryIndex() {
        #expect(decodeError(exampleWithReservationKey("mac", nil)) == #"reservations[0]: missing key "mac""#)
    }

    @Test func malformedPrefixNamesThePathAndTheValue() {
        let text = designExample.replacingOccurrences(of: "192.0.2.0/24", with: "10.0.0.0/33")
        #expect(decodeError(text) == #"prefixes[0].prefix: "10.0.0.0/33" is not a valid prefix"#)
    }

    @Test func malformedMACIsReported() {
        #expect(decodeError(exampleWithReservationKey("mac", #""02:00:00:00:00""#))
                == #"reservations[0].mac: "02:00:00:00:00" is not a valid MAC address"#)
    }

    @Test func wrongTypeIsReported() {
        #expect(decodeError(exampleWithReservationKey("ip_id", #""51""#))
                == "reservations[0].ip_id: expected an integer, found a string")
    }

    @Test func familyMustMatchTheAddress() {
        #expect(decodeError(exampleWithReservationKey("family", "6"))
                == "reservations[0].family: 6 does not match the IPv4 address")
    }

    @Test func unknownFormatIsRefused() {
        let text = designExample.replacingOccurrences(of: "kea-netbox-snapshot/1", with: "kea-netbox-snapshot/2")
        #expect(decodeError(text)
                == #"format: unsupported format "kea-netbox-snapshot/2", expected "kea-netbox-snapshot/1""#)
    }

    @Test func invalidJSONIsReportedWithItsPosition() {
        #expect(decodeError("{\n  \"format\": }") == "invalid JSON: unexpected character, expected a value")
        #expect(decodePlace("{\n  \"format\": }") == "2:13")
    }

    @Test func aCustomFieldNestedTooDeepIsAnErrorWithItsPosition() {
        let deep = String(repeating: "[", count: 511) + #"{"a":[]}"# + String(repeating: "]", count: 511)
        let text = designExample.replacingOccurrences(of: #""tags": ["dhcp"], "custom_fields": {}"#,
                                                      with: #""tags": ["dhcp"], "custom_fields": {"deep": "# + deep + "}")
        #expect(text != designExample)
        // Line 6 holds the prefix's custom fields; the value opens at column 118 (the prefix's object and
        // custom_fields are levels 3 and 4 under the root and "prefixes"), so its 509th bracket is the 513th level.
        #expect(decodeError(text) == "invalid JSON: nesting deeper than 512 levels")
        #expect(decodePlace(text) == "6:626")
    }

    @Test func unknownKeysAreIgnored() throws {
        let text = designExample
            .replacingOccurrences(of: #""ip_id": 51,"#, with: #""ip_id": 51, "rack": {"position": 12},"#)
            .replacingOccurrences(of: "\"format\":", with: "\"written_by\": \"future\", \"format\":")
        let snapshot = try Snapshot.decode(Data(text.utf8))
        #expect(snapshot == (try Snapshot.decode(Data(designExample.utf8))))
    }

    /// Entries are decoded while the JSON is parsed; the error reported must still be the one a decode of the
    /// whole tree, key by key, would report first.
    @Test func theFirstProblemReportedDoesNotDependOnDocumentOrder() {
        let badMAC = exampleWithReservationKey("mac", #""02:00:00:00:00""#)
        // A syntax error after a bad entry is still a syntax error.
        #expect(decodeError(badMAC.replacingOccurrences(of: "\"custom_fields\": {} }\n  ]\n}", with: "\"custom_fields\": {} }\n  ]\n}}"))?
                    .hasPrefix("invalid JSON:") == true)
        // The format is checked before any entry.
        #expect(decodeError(badMAC.replacingOccurrences(of: "kea-netbox-snapshot/1", with: "kea-netbox-snapshot/2"))?
                    .hasPrefix("format: unsupported format") == true)
        // Prefixes before reservations, whatever their order in the text.
        let reservationsFirst = """
            {"reservations": [{"ip": "bad"}], "prefixes": [{"prefix": "10.0.0.0/33"}], "ip_ranges": [],
             "netbox": {"schema": "4.2+"}, "format": "kea-netbox-snapshot/1"}
            """
        #expect(decodeError(reservationsFirst) == #"prefixes[0].prefix: "10.0.0.0/33" is not a valid prefix"#)
        // Within an array, the first bad entry.
        let twoBad = """
            {"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"}, "prefixes": [], "ip_ranges": [],
             "reservations": [7, {"ip": "bad"}]}
            """
        #expect(decodeError(twoBad) == "reservations[0]: expected an object, found an integer")
        #expect(decodePlace(twoBad) == "2:19")
        #expect(decodePlace(twoBad.replacingOccurrences(of: "[7, ", with: "[")) == "2:19")
        #expect(decodeError(twoBad.replacingOccurrences(of: "[7, ", with: "[")) == #"reservations[0].ip: "bad" is not a valid IP address"#)
        #expect(decodeError(twoBad.replacingOccurrences(of: "[7, {\"ip\": \"bad\"}]", with: "{}"))
                == "reservations: expected an array, found an object")
        #expect(decodeError(twoBad.replacingOccurrences(of: "\"prefixes\": [], ", with: "")) == #"missing key "prefixes""#)
    }

    @Test func textThatIsNotUTF8IsReportedAsSuch() throws {
        func error(_ data: Data) -> String? {
            do { _ = try Snapshot.decode(data); return nil } catch { return error.description }
        }
        // Inside a string (where the parser reads raw bytes), and outside one (where it expects JSON syntax).
        var bytes = Array(designExample.utf8)
        let name = Array("srv1.example.com".utf8)
        let offset = try #require(bytes.indices.first { bytes[$0...].starts(with: name) })
        bytes[offset] = 0xff
        #expect(error(Data(bytes)) == "not UTF-8 text")
        #expect(error(Data([0x7b, 0xc3, 0x7d])) == "not UTF-8 text")
        // Valid UTF-8, invalid JSON: a raw control character in a string keeps its syntax error and position.
        #expect(error(Data("{\"format\": \"a\u{01}b\"}".utf8)) == "invalid JSON: control character in string")
    }

    @Test func aByteOrderMarkIsSkippedAndNonASCIIStringsSurvive() throws {
        let text = designExample.replacingOccurrences(of: "\"srv1\"", with: "\"Zürich ☃ 😀\"")
        let snapshot = try Snapshot.decode(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        #expect(snapshot.reservations.map(\.name) == ["Zürich ☃ 😀"])
    }

    @Test func encodesDeterministicallyWithSortedKeysAndEntries() throws {
        let a = Reservation(ipID: 7, ip: try #require(IPAddress("2001:db8::7")), prefixLength: 64,
                            mac: try #require(MACAddress("02:00:00:00:00:07")), hostname: "b", dnsName: "", name: "b",
                            kind: .vm, interface: "eth0")
        let b = Reservation(ipID: 9, ip: try #require(IPAddress("10.0.0.9")), prefixLength: 8,
                            mac: try #require(MACAddress("02:00:00:00:00:09")), hostname: "a", dnsName: "", name: "a",
                            kind: .device, interface: "eth1", customFields: ["rack": .integer(3)])
        let snapshot = Snapshot(schema: "3.6-4.1", reservations: [a, b])
        let expected = """
        {
          "format": "kea-netbox-snapshot/1",
          "ip_ranges": [],
          "netbox": {
            "schema": "3.6-4.1"
          },
          "prefixes": [],
          "reservations": [
            {
              "custom_fields": {
                "rack": 3
              },
              "description": "",
              "device_type": null,
              "dns_name": "",
              "family": 4,
              "host_custom_fields": {},
              "host_status": null,
              "host_tags": [],
              "hostname": "a",
              "interface": "eth1",
              "interface_custom_fields": {},
              "interface_tags": [],
              "ip": "10.0.0.9",
              "ip_id": 9,
              "kind": "device",
              "mac": "02:00:00:00:00:09",
              "manufacturer": null,
              "name": "a",
              "platform": null,
              "prefix_length": 8,
              "reason": "primary",
              "role": null,
              "site": null,
              "status": "active",
              "tags": [],
              "tenant": null,
              "vlan": null,
              "vlan_name": null,
              "vrf": null
            },
            {
              "custom_fields": {},
              "description": "",
              "device_type": null,
              "dns_name": "",
              "family": 6,
              "host_custom_fields": {},
              "host_status": null,
              "host_tags": [],
              "hostname": "b",
              "interface": "eth0",
              "interface_custom_fields": {},
              "interface_tags": [],
              "ip": "2001:db8::7",
              "ip_id": 7,
              "kind": "vm",
              "mac": "02:00:00:00:00:07",
              "manufacturer": null,
              "name": "b",
              "platform": null,
              "prefix_length": 64,
              "reason": "primary",
              "role": null,
              "site": null,
              "status": "active",
              "tags": [],
              "tenant": null,
              "vlan": null,
              "vlan_name": null,
              "vrf": null
            }
          ]
        }

        """
        #expect(String(decoding: snapshot.encoded(), as: UTF8.self) == expected)
    }

    @Test func encodeThenDecodeRoundTripsExactly() throws {
        var snapshot = try Snapshot.decode(Data(designExample.utf8))
        snapshot.reservations[0].customFields = ["count": .integer(3), "ratio": .number(0.5), "nested": .object(
            ["list": .array([.string("é \"q\"\n"), .bool(false), .null])])]
        snapshot.reservations[0].vrf = "blue"
        snapshot.reservations[0].hostname = "evil\", \"boot-file-name\": \"x\u{01}\\ é"
        snapshot.reservations[0].tags = ["a\tb", "c"]
        snapshot.prefixes.append(Prefix(id: 2, prefix: try #require(IPPrefix("2001:db8::/64")), status: "reserved",
                                        vlan: VLAN(vid: 42, name: "servers")))
        snapshot.reservations[0].reason = .oob
        snapshot.reservations[0].host = HostDetails(role: "server", platform: "debian-12", deviceType: "r650",
                                                    manufacturer: "dell", status: "active", tags: ["pxe"],
                                                    customFields: ["rack_unit": .integer(12)])
        snapshot.reservations[0].interfaceDetails = InterfaceDetails(
            tags: ["bmc"], customFields: ["duid": .string("00:03:00:01:02:00:00:00:00:01")],
            untaggedVLAN: VLAN(vid: 7, name: "oob"))
        let decoded = try Snapshot.decode(snapshot.encoded())
        #expect(decoded == snapshot.sorted())
        #expect(decoded.encoded() == snapshot.encoded())
    }
}
