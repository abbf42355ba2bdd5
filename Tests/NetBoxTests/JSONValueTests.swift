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
}
