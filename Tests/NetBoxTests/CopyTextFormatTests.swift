import Testing
@testable import PostgreSQL

/// The COPY text format's lines, decoded without a server: the escapes a server may send that the plain-query
/// comparison in CopyStreamTests cannot produce (PostgreSQL's COPY TO writes only `\\ \b \f \n \r \t \v` and `\N`),
/// and the lines no server should send.
struct CopyTextFormatTests {
    private func fields(_ line: String, columns: Int) throws -> [String?] {
        var row = Row(columnIndex: [:], capacity: 0)
        var bytes = Array(line.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            try CopyTextFormat.read(UnsafeBufferPointer(buffer), columns: columns, into: &row)
        }
        return row.values
    }

    @Test func fieldsAreSplitAtTabsAndTheNewlineIsDropped() throws {
        #expect(try fields("a\tbc\t\n", columns: 3) == ["a", "bc", ""])
        #expect(try fields("\t\n", columns: 2) == ["", ""])
        #expect(try fields("\n", columns: 1) == [""])
        #expect(try fields("no newline", columns: 1) == ["no newline"])
    }

    @Test func onlyAWholeFieldOfBackslashNIsNull() throws {
        #expect(try fields("\\N\t\\N\n", columns: 2) == [nil, nil])
        #expect(try fields("\\Nx\tx\\N\n", columns: 2) == ["Nx", "xN"])
        #expect(try fields("\\\\N\n", columns: 1) == ["\\N"])
    }

    @Test func theEscapesPostgreSQLWrites() throws {
        #expect(try fields("\\b\\f\\n\\r\\t\\v\\\\\n", columns: 1) == ["\u{08}\u{0C}\n\r\t\u{0B}\\"])
    }

    @Test func octalAndHexEscapesAndOtherEscapedCharacters() throws {
        #expect(try fields("\\101\\1010\\7\\x41\\x4a4\\x\\q\\\"\n", columns: 1) == ["AA0\u{07}AJ4xq\""])
        // Three octal digits at most; the low eight bits of a larger value, as the server keeps them.
        #expect(try fields("\\501\n", columns: 1) == ["A"])
    }

    @Test func nonASCIIPassesThroughUnchanged() throws {
        #expect(try fields("Zürich ☃\t東京 🙂\n", columns: 2) == ["Zürich ☃", "東京 🙂"])
    }

    @Test func aRowOfAnotherWidthIsMalformed() {
        let error = #expect(throws: CopyTextFormat.MalformedLine.self) { try fields("a\tb\n", columns: 3) }
        #expect(error?.problem == "a row of 2 fields where 3 were expected")
    }

    @Test func aLoneTrailingBackslashIsMalformed() {
        let error = #expect(throws: CopyTextFormat.MalformedLine.self) { try fields("a\\\n", columns: 1) }
        #expect(error?.problem == "a line ending in a lone backslash")
    }
}

/// Integers are read from a row's bytes, as strictly as `Int(String)` read them before.
struct RowIntegerTests {
    private func int(_ text: String?) throws -> Int? {
        let row = Row(values: [text], columnIndex: ["n": 0])
        return try row.int("n")
    }

    @Test func decimalIntegersWithASign() throws {
        #expect(try int("0") == 0)
        #expect(try int("42") == 42)
        #expect(try int("-17") == -17)
        #expect(try int("+5") == 5)
        #expect(try int("9223372036854775807") == Int.max)
        #expect(try int("-9223372036854775808") == Int.min)
        #expect(try int(nil) == nil)
    }

    @Test(arguments: ["", "-", "+", " 1", "1 ", "1.5", "9223372036854775808", "-9223372036854775809", "0x1f", "١"])
    func anythingElseIsAnErrorNamingTheColumnAndTheText(text: String) {
        let error = #expect(throws: ColumnError.self) { try int(text) }
        #expect(error?.description == "column n: \"\(text)\" is not an integer")
    }
}
