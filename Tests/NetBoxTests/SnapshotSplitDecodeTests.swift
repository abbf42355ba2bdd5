import Foundation
import Testing
@testable import NetBox

// The second half of the reservations array may be decoded on a second thread, from the writer's entry separator
// found past the array's middle (issue 11). These tests hold the split decode to the one-thread decode of the same
// bytes: the same snapshot, or the same error with the same path and offset; and they check that the split was
// really used (or really dropped) where they say, so that an equal result is not just one thread's.

/// `count` reservations as the writer would have them: tags, custom fields and sites repeating in runs, some
/// changing, so that the second half's collector starts from other memories and caches than the first's.
private func reservations(_ count: Int) throws -> Snapshot {
    var list: [Reservation] = []
    for id in 0..<count {
        let mac = try #require(MACAddress(String(format: "02:00:00:00:%02x:%02x", id / 256, id % 256)))
        let fields: [String: JSONValue] = id % 3 == 0
            ? ["boot_file": .string("pxelinux.0"), "rack": .object(["unit": .integer(id % 40)])] : [:]
        list.append(Reservation(
            ipID: id + 1, ip: try #require(IPAddress("10.0.\(id / 200).\(10 + id % 200)")), prefixLength: 16, mac: mac,
            hostname: "host-\(id).example.com", dnsName: id % 2 == 0 ? "host-\(id).example.com" : "",
            name: "host-\(id)", kind: id % 5 == 0 ? .vm : .device, interface: "eth\(id % 2)",
            site: "site\(id % 3)", tenant: id % 4 == 0 ? nil : "tenant1", status: "active",
            tags: id % 7 == 0 ? ["dhcp"] : ["dhcp", "pxe"], customFields: fields,
            host: HostDetails(role: "server", platform: id % 2 == 0 ? "linux" : nil, tags: id % 6 == 0 ? ["rack"] : []),
            interfaceDetails: InterfaceDetails(customFields: id % 4 == 1 ? ["duid": .string("00:01")] : [:],
                                               untaggedVLAN: id % 3 == 1 ? VLAN(vid: 100, name: "servers") : nil)))
    }
    return Snapshot(schema: "4.2+", prefixes: [Prefix(id: 1, prefix: try #require(IPPrefix("10.0.0.0/16")))],
                    reservations: list)
}

/// The decode of `bytes` with a second thread tried whatever the size, and what became of it. The second
/// thread's reservations come back in chunks of `chunkLength` (a few here, so that a test's entries fill several).
private func splitDecode(_ bytes: [UInt8], chunkLength: Int = 4) -> (Result<Snapshot, SnapshotError>, EntryCollector.SplitUse) {
    let data = Data(bytes)
    let entries = EntryCollector(splitting: (data, 0), chunkLength: chunkLength)
    let result = Result { () throws(SnapshotError) in try Snapshot.decode(data, with: entries) }
    return (result, entries.splitUse)
}

private func singleDecode(_ bytes: [UInt8]) -> Result<Snapshot, SnapshotError> {
    Result { () throws(SnapshotError) in try Snapshot.decode(Data(bytes), threading: .single) }
}

/// `text` with `old` (which must occur exactly once) replaced by `new`.
private func replacing(_ old: String, with new: String, in text: String,
                       sourceLocation: SourceLocation = #_sourceLocation) -> String {
    #expect(text.components(separatedBy: old).count == 2, "\(old) occurs once", sourceLocation: sourceLocation)
    return text.replacingOccurrences(of: old, with: new)
}

/// The split decode of `text` fails with the one-thread decode's error, and the split went as `expected`.
private func expectTheSameError(_ text: String, _ expected: EntryCollector.SplitUse, _ what: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
    let bytes = Array(text.utf8)
    let (split, use) = splitDecode(bytes)
    guard case .failure(let error) = split, case .failure(let single) = singleDecode(bytes) else {
        Issue.record("\(what) was accepted", sourceLocation: sourceLocation)
        return
    }
    #expect(error == single, "\(what)", sourceLocation: sourceLocation)
    #expect(use == expected, "\(what)", sourceLocation: sourceLocation)
}

@Suite struct SnapshotSplitDecodeTests {
    @Test func theWritersLayoutIsSplitAndGivesTheSameSnapshot() throws {
        let snapshot = try reservations(60)
        let bytes = snapshot.encodedBytes()
        // Chunks of 1, of 4 (the last one partly filled: 30 reservations in the second half), and of all of them.
        for chunkLength in [1, 4, 1000] {
            let (split, use) = splitDecode(bytes, chunkLength: chunkLength)
            #expect(use == .taken)
            #expect(try split.get() == snapshot)
        }
        #expect(try singleDecode(bytes).get() == snapshot)
        // With a byte order mark the offsets move by three: the second thread must read the same document.
        let (marked, markedUse) = splitDecode([0xEF, 0xBB, 0xBF] + bytes)
        #expect(markedUse == .taken)
        #expect(try marked.get() == snapshot)
    }

    /// Members after the reservations array (the writer puts it last; a hand-edited file need not): the first
    /// thread goes on from where the second thread's part ended, and a duplicate key there is still found.
    @Test func theDocumentGoesOnAfterTheSecondThreadsPart() throws {
        let snapshot = try reservations(40)
        let text = String(decoding: snapshot.encodedBytes(), as: UTF8.self)
        let prefixesStart = try #require(text.range(of: "  \"prefixes\": ["))
        let prefixesEnd = try #require(text.range(of: "\n  ],\n", range: prefixesStart.upperBound..<text.endIndex))
        let prefixes = prefixesStart.lowerBound..<prefixesEnd.upperBound
        var moved = text
        let member = String(text[prefixes])
        moved.removeSubrange(prefixes)
        moved = replacing("\n  ]\n}", with: "\n  ],\n" + member.dropLast(2) + "\n}", in: moved)
        let (split, use) = splitDecode(Array(moved.utf8))
        #expect(use == .taken)
        #expect(try split.get() == snapshot)
        let doubled = replacing("\n  ]\n}", with: "\n  ],\n  \"format\": \"kea-netbox-snapshot/1\"\n}", in: text)
        expectTheSameError(doubled, .taken, "a key given again after the reservations")
    }

    /// The entry separator's bytes inside a member formatted by hand (an array of objects in a custom field,
    /// indented like entries), past the middle: the second thread starts there, the first thread's parse never
    /// reaches an element start at that place, and the result is the one-thread decode's.
    @Test func theSeparatorInsideAnEntryIsNotASplit() throws {
        let snapshot = try reservations(2)
        var text = String(decoding: snapshot.encodedBytes(), as: UTF8.self)
        let padding = String(repeating: "x", count: 4000)
        let fake = "\"racks\": [{\n    },\n    {\"unit\": 1}]"
        text = replacing("\"custom_fields\": {},\n      \"description\": \"\",\n      \"device_type\": null,\n      \"dns_name\": \"\",",
                         with: "\"custom_fields\": {\"pad\": \"\(padding)\", \(fake)},\n      \"description\": \"\",\n      \"device_type\": null,\n      \"dns_name\": \"\",",
                         in: text)
        var expected = snapshot
        expected.reservations[1].customFields = ["pad": .string(padding), "racks": .array([.object([:]), .object(["unit": .integer(1)])])]
        let (split, use) = splitDecode(Array(text.utf8))
        #expect(use == .dropped)
        #expect(try split.get() == expected)
        #expect(try singleDecode(Array(text.utf8)).get() == expected)
    }

    @Test func aMinifiedDocumentIsNotSplit() throws {
        let snapshot = try reservations(30)
        let compact = Array(try JSONValue.parse(String(decoding: snapshot.encodedBytes(), as: UTF8.self)).jsonText.utf8)
        let (split, use) = splitDecode(compact)
        #expect(use == SplitUse.none)
        #expect(try split.get() == snapshot)
    }

    @Test func fewerThanTwoEntriesAreNotSplit() throws {
        for count in 0...1 {
            let snapshot = try reservations(count)
            let (split, use) = splitDecode(snapshot.encodedBytes())
            #expect(use == SplitUse.none)
            #expect(try split.get() == snapshot)
        }
    }

    @Test func anErrorInTheFirstHalfIsTheOneReported() throws {
        let text = String(decoding: try reservations(40).encodedBytes(), as: UTF8.self)
        // An entry error: the first thread still reaches the split and takes the second half (a syntax error
        // there would win), then reports its own entry with its index.
        let badMAC = replacing("\"mac\": \"02:00:00:00:00:03\"", with: "\"mac\": \"02:00:00:00:00:zz\"", in: text)
        expectTheSameError(badMAC, .taken, "a bad MAC in the first half")
        #expect(singleDecode(Array(badMAC.utf8)).failure?.path == "reservations[3].mac")
        // Bad entries in both halves: the first half's is the first in the document.
        let both = replacing("\"mac\": \"02:00:00:00:00:25\"", with: "\"mac\": 7", in: badMAC)
        expectTheSameError(both, .taken, "bad entries in both halves")
        // A syntax error: the first thread stops there and the second thread's part is dropped.
        let syntax = replacing("\"ip_id\": 4,", with: "\"ip_id\": 4,,", in: text)
        expectTheSameError(syntax, .dropped, "a syntax error in the first half")
        // A syntax error in the first half beats an entry error in the second.
        let syntaxThenEntry = replacing("\"mac\": \"02:00:00:00:00:25\"", with: "\"mac\": 7", in: syntax)
        expectTheSameError(syntaxThenEntry, .dropped, "a syntax error before a bad entry")
    }

    @Test func anErrorInTheSecondHalfIsReportedWithItsIndexInTheWholeArray() throws {
        let text = String(decoding: try reservations(40).encodedBytes(), as: UTF8.self)
        let badMAC = replacing("\"mac\": \"02:00:00:00:00:25\"", with: "\"mac\": \"02:00:00:00:00:zz\"", in: text)
        expectTheSameError(badMAC, .taken, "a bad MAC in the second half")
        #expect(singleDecode(Array(badMAC.utf8)).failure?.path == "reservations[37].mac")
        let missing = replacing("\"ip_id\": 36,\n", with: "", in: text)
        expectTheSameError(missing, .taken, "a missing key in the second half")
        // A number in place of an entry: inserted before the entry holding ip_id 38.
        let entry = try #require(text.range(of: "\"ip_id\": 38,"))
        let entryStart = try #require(text.range(of: "\n    {", options: .backwards, range: text.startIndex..<entry.lowerBound))
        var notObject = text
        notObject.insert(contentsOf: "\n    17,", at: entryStart.lowerBound)
        expectTheSameError(notObject, .taken, "an element that is not an object in the second half")
        // A syntax error in the second half beats an entry error in the first: the whole text is parsed first.
        let syntax = replacing("\"ip_id\": 36,", with: "\"ip_id\": 36 \"x\",", in: text)
        expectTheSameError(syntax, .taken, "a syntax error in the second half")
        let entryThenSyntax = replacing("\"mac\": \"02:00:00:00:00:03\"", with: "\"mac\": 7", in: syntax)
        expectTheSameError(entryThenSyntax, .taken, "a bad entry before a syntax error")
        // Cut short in the second half, and nested too deep there (the depth counts the levels above the split).
        let cut = String(text.prefix(text.utf8.count - 200))
        expectTheSameError(cut, .taken, "a document cut short")
        let deep = String(repeating: "[", count: JSONTextParser.maximumDepth) + String(repeating: "]", count: JSONTextParser.maximumDepth)
        let tooDeep = replacing("\"ip_id\": 36,", with: "\"ip_id\": 36, \"deep\": \(deep),", in: text)
        expectTheSameError(tooDeep, .taken, "nesting too deep in the second half")
    }

    /// The document cut short and damaged all along: wherever that happens (before the split, at it, after it),
    /// the split decode gives what the one-thread decode gives.
    @Test func damagedDocumentsDecodeAsWithOneThread() throws {
        let bytes = try reservations(6).encodedBytes()
        let cases = damagedCopies(of: bytes, cutEvery: 7, damageEvery: 13,
                                  with: [UInt8(ascii: "\""), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: "x"),
                                         UInt8(ascii: "\n"), 0xC3])
        var taken = 0
        for damaged in cases {
            let (split, use) = splitDecode(damaged)
            if use == .taken { taken += 1 }
            switch (split, singleDecode(damaged)) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)): #expect(a == b, "\(String(decoding: damaged, as: UTF8.self))")
            case (let a, let b): Issue.record("split \(a), one thread \(b): \(String(decoding: damaged, as: UTF8.self))")
            }
        }
        // Most damage is after the split or in front of it without stopping the parse: the split is exercised.
        #expect(taken > cases.count / 4)
    }
}

private typealias SplitUse = EntryCollector.SplitUse

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
