import Testing
@testable import Templating

@Suite struct EscapingTests {
    @Test func valuePositionEscapesQuoteBackslashAndControls() throws {
        let nasty = "a\"b\\c\n\t\r\u{8}\u{c}\u{1}\u{1f}"
        #expect(try render("{{ s }}", ["s": .string(nasty)]) == #""a\"b\\c\n\t\r\b\f\u0001\u001f""#)
    }

    @Test func nonASCIIStaysRawUTF8() throws {
        // Kea rejects \u escapes above \u00ff, so nothing above U+001F is escaped.
        #expect(try render("{{ s }}", ["s": "é😀\u{2028}\u{7f}"]) == "\"é😀\u{2028}\u{7f}\"")
    }

    @Test func injectionAttemptStaysOneString() throws {
        let device = #"evil", "boot-file-name": "x"#
        #expect(try render(#"{"hostname": {{ name }}}"#, ["name": .string(device)])
            == #"{"hostname": "evil\", \"boot-file-name\": \"x"}"#)
    }

    @Test func insideStringNoQuotesAdded() throws {
        #expect(try render(#""pool": "{{ a }} - {{ b }}""#, ["a": "1\"", "b": "2\\"]) == #""pool": "1\" - 2\\""#)
    }

    @Test func insideStringIntegerAndBoolAreText() throws {
        #expect(try render(#""{{ n }}-{{ b }}""#, ["n": 7, "b": false]) == #""7-false""#)
    }

    @Test func listInsideStringIsAnError() {
        #expect(located(errors(#"{"a": "{{ xs }}"}"#, ["xs": [1]])) == [#"t.json:1:8: a list cannot be written inside a JSON string; use '| join(", ")' or '| json'"#])
    }

    @Test func nullInsideStringIsAnError() {
        #expect(located(errors(#""{{ x }}""#, ["x": nil])) == [#"t.json:1:2: null written inside a JSON string; use '| default("")' to say what it should be"#])
    }

    @Test func lineCommentNeutralisesLineBreaks() throws {
        #expect(try render("// {{ s }}\n", ["s": "a\nb\r\"c\u{2028}d"]) == "// a b \"c d\n")
    }

    @Test func hashCommentNeutralisesLineBreaks() throws {
        #expect(try render("# {{ s }}\n", ["s": "x\n\"y\": 1"]) == "# x \"y\": 1\n")
    }

    @Test func blockCommentNeutralisesCommentEnd() throws {
        #expect(try render("/* {{ s }} */", ["s": "a */ b"]) == "/* a * / b */")
    }

    @Test func blockCommentGuardsBothEndsAgainstLiteralNeighbours() throws {
        #expect(try render("/* *{{ a }}{{ b }}/ */", ["a": "/x*", "b": "/"]) == "/* * /x*  // */")
    }

    @Test func quoteInsideCommentIsNotAString() throws {
        // The apostrophe and quote in the comment must not flip the context to "inside a string".
        #expect(try render("// it's \"quoted\n{{ s }}", ["s": "v"]) == "// it's \"quoted\n\"v\"")
    }

    @Test func escapedQuoteInLiteralStringKeepsStringContext() throws {
        #expect(try render(#""a\"{{ s }}""#, ["s": "\""]) == #""a\"\"""#)
    }

    @Test func jsonFilterForcesValueEncoding() throws {
        #expect(try render(#"{{ xs | json }} "{{ xs | json }}""#, ["xs": ["a", 1]]) == #"["a",1] "[\"a\",1]""#)
    }

    @Test func rawWritesVerbatim() throws {
        #expect(try render(#"{{ s | raw }}"#, ["s": #""k": 1"#]) == #""k": 1"#)
    }

    @Test func rawUseIsAWarning() throws {
        let result = try renderResult("{{ s | raw }}", ["s": "1"])
        #expect(located(result.warnings) == ["t.json:1:8: '| raw' writes this value without escaping; make sure it cannot break the JSON"])
    }

    @Test func templateLookingDataIsNotInterpreted() throws {
        #expect(try render("{{ s }}", ["s": "{{ x }}{% if %}{# c #}"]) == #""{{ x }}{% if %}{# c #}""#)
    }

    @Test func tagAfterBackslashInStringIsRejected() {
        // The trim marker removes the blank, leaving the tag right after the backslash.
        #expect(located(errors(#""a\ {{- s }}""#, ["s": "x"])) == ["t.json:1:5: a '{{ }}' tag cannot follow a backslash inside a JSON string"])
    }

    @Test func slashInValuePositionDoesNotStartAComment() throws {
        #expect(try render("[1 /{{ s }}]", ["s": "x"]) == "[1 /\"x\"]")
    }
}
