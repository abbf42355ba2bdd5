import Testing
import NetBox

@Suite struct JSONValueTests {
    @Test func keepsIntegersExactAndApartFromDoubles() throws {
        let value = try JSONValue.parse(#"{"a": 42, "b": 4.5, "c": 9007199254740993, "d": true, "e": 1e2}"#)
        #expect(value == .object(["a": .integer(42), "b": .number(4.5), "c": .integer(9007199254740993),
                                  "d": .bool(true), "e": .number(100)]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONValue.parse(#""a\"b\\c\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c\né😀"))
    }

    @Test func compactTextSortsKeysAndEscapesControlCharacters() {
        let value = JSONValue.object(["b": .array([.integer(1), .null]), "a": .string("x\u{01}\"y")])
        #expect(value.jsonText == #"{"a":"x\u0001\"y","b":[1,null]}"#)
    }

    @Test func keysAreSortedByUTF8BytesNotByLocaleOrCase() {
        let keys = ["b", "é", "B", "ab", "a", "\u{FFFF}", "😀", "_", "1", "z", "a\u{0}", "\u{212B}", "Ð"]
        let value = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.null) }))
        // U+FFFF (EF BF BF) before U+1F600 (F0 9F 98 80), where UTF-16 order is the reverse; the Angstrom sign U+212B
        // (E2 84 AB) after Ð U+00D0 (C3 90), where Swift's `<` compares its canonical form U+00C5 and puts it first.
        #expect(value.jsonText == #"{"1":null,"B":null,"_":null,"a":null,"a\u0000":null,"ab":null,"b":null,"z":null,"Ð":null,"é":null,"\#u{212B}":null,"\#u{FFFF}":null,"😀":null}"#)
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, 1, 9), (#"[01]"#, 1, 2), ("{\n  \"a\": tru\n}", 2, 8), (#"{"a": 1, "a": 2}"#, 1, 10),
        (#""abc"#, 1, 1), (#"[1] 2"#, 1, 5),
    ])
    func reportsSyntaxErrorsWithPosition(text: String, line: Int, column: Int) {
        #expect {
            _ = try JSONValue.parse(text)
        } throws: { error in
            guard let syntax = error as? JSONSyntaxError else { return false }
            return syntax.line == line && syntax.column == column
        }
    }
    /// The issue's 1 KB value: 513 levels. Before the fix the parser's depth counter stayed raised on this error
    /// and a cleanup then indexed past its table (SIGILL, no message).
    static let tooDeep = String(repeating: "[", count: 511) + #"{"a":[]}"# + String(repeating: "]", count: 511)

    /// The object is the 512th level; the `[` after `{"a":` (column 511 + 6) would be the 513th.
    @Test func nestingOneLevelBeyondTheLimitIsAnErrorAtItsBracket() {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Self.tooDeep) }
        #expect(error?.description == "line 1, column 517: nesting deeper than 512 levels")
        #expect(error?.isTooDeep == true)
    }

    @Test func nestingAtTheLimitParses() throws {
        let text = String(repeating: "[", count: 511) + "{}" + String(repeating: "]", count: 511)
        var value = try JSONValue.parse(text)
        var depth = 0
        while case .array(let items) = value, let first = items.first { value = first; depth += 1 }
        #expect(depth == 511)
        #expect(value == .object([:]))
    }

    @Test func aTooDeepMemberInsideAnObjectFailsWithoutCrashing() {
        let text = #"{"x": 1, "cf": "# + Self.tooDeep + "}"
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
        #expect((try? JSONValue.parse(text)) == nil)
    }
}
