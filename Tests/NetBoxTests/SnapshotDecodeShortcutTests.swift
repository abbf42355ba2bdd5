import Foundation
import Testing
import NetBox

// The snapshot decoder takes shortcuts for the common case (ISSUE 11): the key the previous entry had next is
// checked in place, an object or array member whose bytes repeat the previous entry's is not parsed again, a
// repeated string is shared, blanks and plain strings are scanned eight bytes at a time. These tests hold it to
// what the plain reading of the same text gives: equal values, and the same error at the same place.

/// Three reservations, pretty-printed by the writer: the second repeats the first's tags, custom fields, site and
/// status; the third changes them; its interface custom fields repeat the first's.
private func threeReservations() throws -> Snapshot {
    let mac = try #require(MACAddress("02:00:00:00:00:01"))
    func reservation(_ id: Int, tags: [String], fields: [String: JSONValue], site: String,
                     interfaceFields: [String: JSONValue]) throws -> Reservation {
        Reservation(ipID: id, ip: try #require(IPAddress("192.0.2.\(10 + id)")), prefixLength: 24, mac: mac,
                    hostname: "host-\(id).example.com", dnsName: "", name: "host-\(id)", kind: .device,
                    interface: "eth0", site: site, status: "active", tags: tags, customFields: fields,
                    interfaceDetails: InterfaceDetails(tags: [], customFields: interfaceFields))
    }
    let boot: [String: JSONValue] = ["boot_file": .string("pxelinux.0"), "rack": .object(["unit": .integer(12)])]
    let duid: [String: JSONValue] = ["duid": .string("00:03:00:01:02:00:00:00:00:01")]
    return Snapshot(schema: "4.2+", prefixes: [Prefix(id: 1, prefix: try #require(IPPrefix("192.0.2.0/24")))],
                    reservations: [
                        try reservation(1, tags: ["dhcp", "pxe"], fields: boot, site: "dc1", interfaceFields: duid),
                        try reservation(2, tags: ["dhcp", "pxe"], fields: boot, site: "dc1", interfaceFields: [:]),
                        try reservation(3, tags: ["dhcp"], fields: ["boot_file": .string("ipxe.efi")], site: "dc2",
                                        interfaceFields: duid),
                    ])
}

private func decoded(_ bytes: [UInt8]) -> Result<Snapshot, SnapshotError> {
    Result { () throws(SnapshotError) in try Snapshot.decode(Data(bytes)) }
}

private func decodeMessage(_ text: String) -> String? {
    guard case .failure(let error) = decoded(Array(text.utf8)) else { return nil }
    return error.description
}

/// The same document as compact JSON with its keys sorted, through the general parser: other whitespace, so
/// none of the pretty-printed document's shortcuts line up the same way.
private func reparsedCompact(_ bytes: [UInt8]) throws -> [UInt8] {
    Array(try JSONValue.parse(String(decoding: bytes, as: UTF8.self)).jsonText.utf8)
}

/// `text` is not JSON: the decoder must refuse it with the general parser's message at the general parser's offset.
private func expectTheGeneralParsersError(_ text: String, _ what: String,
                                          sourceLocation: SourceLocation = #_sourceLocation) {
    let general = Result { () throws(JSONSyntaxError) in try JSONValue.parse(text) }
    guard case .failure(let syntax) = general, case .failure(let error) = decoded(Array(text.utf8)) else {
        Issue.record("\(what) was accepted", sourceLocation: sourceLocation)
        return
    }
    #expect(error.description == "invalid JSON: \(syntax.message)", sourceLocation: sourceLocation)
    #expect(error.offset == syntax.offset, sourceLocation: sourceLocation)
}

@Suite struct SnapshotDecodeShortcutTests {
    @Test func repeatedMembersDecodeToTheValuesWritten() throws {
        let snapshot = try threeReservations()
        let bytes = snapshot.encodedBytes()
        #expect(try decoded(bytes).get() == snapshot)
        #expect(try decoded(try reparsedCompact(bytes)).get() == snapshot)
    }

    @Test func keysInAnotherOrderOrSpelledWithEscapesAreTheSameKeys() throws {
        let snapshot = try threeReservations()
        var text = String(decoding: snapshot.encodedBytes(), as: UTF8.self)
        // The second entry's keys in another order than the first's, and a long and a short key spelled with a
        // \u escape: neither can be matched in place, both must still find their slot.
        let second = try #require(text.range(of: "\"ip_id\": 2,"))
        text.replaceSubrange(second, with: "\"ip_i\\u0064\": 2,")
        text = text.replacingOccurrences(of: "\"interface_custom_fields\": {},",
                                         with: "\"interface_custom_field\\u0073\": {},")
        #expect(text.contains("\\u0064") && text.contains("\\u0073"))
        #expect(try decoded(Array(text.utf8)).get() == snapshot)
        // The last entry's custom fields moved from their sorted place to the end.
        var reordered = text.replacingOccurrences(of: "\"custom_fields\": {\n        \"boot_file\": \"ipxe.efi\"\n      },",
                                                  with: "")
        let end = try #require(reordered.range(of: "\"vrf\": null\n    }\n  ]", options: .backwards))
        reordered.replaceSubrange(end, with: "\"vrf\": null,\n      \"custom_fields\": {\"boot_file\": \"ipxe.efi\"}\n    }\n  ]")
        #expect(!reordered.contains("\"custom_fields\": {\n        \"boot_file\": \"ipxe.efi\""))
        #expect(try decoded(Array(reordered.utf8)).get() == snapshot)
    }

    /// `kind` and `reason` are matched on their bytes; spelled with an escape they are the same words, and a
    /// word outside the set is refused with its text.
    @Test func kindAndReasonAreTheSameWordsSpelledWithEscapes() throws {
        let snapshot = try threeReservations()
        let text = String(decoding: snapshot.encodedBytes(), as: UTF8.self)
        let escaped = text.replacingOccurrences(of: "\"kind\": \"device\"", with: "\"kind\": \"devic\\u0065\"")
            .replacingOccurrences(of: "\"reason\": \"primary\"", with: "\"reason\": \"pr\\u0069mary\"")
        #expect(escaped.contains("devic\\u0065") && escaped.contains("pr\\u0069mary"))
        #expect(try decoded(Array(escaped.utf8)).get() == snapshot)
        let router = text.replacingOccurrences(of: "\"kind\": \"device\"", with: "\"kind\": \"router\"")
        #expect(decodeMessage(router) == #"reservations[0].kind: "router" is not "device" or "vm""#)
        let other = text.replacingOccurrences(of: "\"reason\": \"primary\"", with: "\"reason\": \"primar\"")
        #expect(decodeMessage(other) == #"reservations[0].reason: "primar" is not "primary", "oob" or "interface""#)
    }

    @Test func aKeyGivenTwiceIsRefusedWhereverItIsMatched() {
        let text = String(decoding: (try? threeReservations())?.encodedBytes() ?? [], as: UTF8.self)
        // "status" is matched in place (it follows "site" as in the entry before); given again after "tags".
        let doubled = text.replacingOccurrences(of: "\"tags\": [\n        \"dhcp\"\n      ],",
                                                with: "\"tags\": [\"dhcp\"], \"status\": \"active\",")
        #expect(doubled != text)
        #expect(decodeMessage(doubled) == #"invalid JSON: duplicate key "status""#)
        expectTheGeneralParsersError(doubled, "a key given twice")
    }

    /// The text between two values (comma, key, colon) is taken whole when it repeats the previous entry's; after
    /// an unknown member nothing is learnt, so a stray comma at the start of the next entry is still an error.
    @Test func leadsAreLearntOnlyAfterAKnownMemberOrTheBrace() {
        let entry = #"{"rack": 1, "ip": "192.0.2.10", "ip_id": 1}"#
        let document = """
            {"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"}, "prefixes": [], "ip_ranges": [],
             "reservations": [\(entry), {, "ip": "192.0.2.11", "ip_id": 2}]}
            """
        #expect(decodeMessage(document) == "invalid JSON: expected a key string")
        expectTheGeneralParsersError(document, "a comma right after an entry's brace")
        // The same key twice, the second time in a lead taken whole (", "ip_id": " followed "ip" in the entry
        // before): the error is at its opening quote.
        let twice = document.replacingOccurrences(of: entry, with: #"{"ip": "192.0.2.10", "ip_id": 1}"#)
            .replacingOccurrences(of: "{, \"ip\": \"192.0.2.11\", \"ip_id\": 2}",
                                  with: "{\"ip_id\": 2, \"ip\": \"192.0.2.11\", \"ip_id\": 2}")
        #expect(decodeMessage(twice) == #"invalid JSON: duplicate key "ip_id""#)
        expectTheGeneralParsersError(twice, "a key given twice")
    }

    /// The document cut short, and a set of bytes put in its place, all along it: where the text is not
    /// JSON the decoder reports the general parser's error at its offset; where it is JSON the decoder gives what
    /// it gives for the same JSON written compactly (values, or the same message).
    @Test func damagedDocumentsFailAsTheGeneralParserSays() throws {
        let bytes = try threeReservations().encodedBytes()
        // Strided (a debug build decodes a few thousand documents a second): the strides are prime to the
        // eight-byte words and to the writer's indentation, so cuts and damage land on every byte of a word.
        let cases = damagedCopies(of: bytes, cutEvery: 3, damageEvery: 11,
                                  with: [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "x"), UInt8(ascii: "}"),
                                         UInt8(ascii: ","), UInt8(ascii: " "), 0x01, 0xC3])
        var syntaxErrors = 0
        for damaged in cases {
            guard let text = String(validating: damaged, as: UTF8.self) else {
                guard case .failure(let error) = decoded(damaged) else {
                    Issue.record("a document that is not UTF-8 decoded")
                    continue
                }
                #expect(error.description == "not UTF-8 text")
                continue
            }
            let general = Result { () throws(JSONSyntaxError) in try JSONValue.parse(text) }
            switch (general, decoded(damaged)) {
            case (.failure(let expected), .failure(let error)):
                syntaxErrors += 1
                #expect(error.description == "invalid JSON: \(expected.message)", "\(text)")
                #expect(error.offset == expected.offset, "\(text)")
            case (.failure(let expected), .success):
                Issue.record("decoded although the general parser says \(expected): \(text)")
            case (.success, let result):
                let compact = decoded(try reparsedCompact(damaged))
                switch (result, compact) {
                case (.success(let a), .success(let b)): #expect(a == b, "\(text)")
                case (.failure(let a), .failure(let b)): #expect(a.description == b.description, "\(text)")
                default: Issue.record("decodes differently from its compact form: \(text)")
                }
            }
        }
        // The damage must mostly have broken the JSON, or the comparison above tested little.
        #expect(syntaxErrors > cases.count / 2)
    }

    @Test func longRunsOfBlanksAndLongStringsAroundEightByteBoundaries() throws {
        let snapshot = try threeReservations()
        for padding in 0..<17 {
            let blanks = String(repeating: " ", count: padding) + "\t\r\n" + String(repeating: " ", count: 16 - padding)
            let name = String(repeating: "n", count: padding)
            var text = String(decoding: snapshot.encodedBytes(), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: blanks)
            text = text.replacingOccurrences(of: "\"host-2\"", with: "\"\(name)é\(name)\"")
                .replacingOccurrences(of: "\"host-3\"", with: "\"\(name)\\\"\(name)\"")
            var expected = snapshot
            expected.reservations[1].name = "\(name)é\(name)"
            expected.reservations[2].name = "\(name)\"\(name)"
            #expect(try decoded(Array(text.utf8)).get() == expected, "padding \(padding)")
            // A control character inside a string is refused at the string's place, wherever it falls.
            let control = text.replacingOccurrences(of: "\"host-1\"", with: "\"\(name)\u{01}\(name)\"")
            expectTheGeneralParsersError(control, "a control character in a string (padding \(padding))")
        }
    }
}
