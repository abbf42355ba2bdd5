import Diagnostics
import Testing
@testable import Templating

/// One test per kind of error: the message and the exact file:line:column.
@Suite struct DiagnosticTests {
    @Test func formattedShowsSourceLineAndCaret() {
        let diagnostics = errors("{\n  \"a\": {{ nmae }}\n}", ["name": 1])
        #expect(diagnostics.map { $0.formatted() } == [
            "t.json:2:11: error: undefined variable 'nmae'; did you mean 'name'?\n  \"a\": {{ nmae }}\n          ^",
        ])
    }

    @Test func columnCountsUnicodeScalarsNotBytes() {
        #expect(located(errors("\"é😀\": {{ x }}")) == ["t.json:1:10: undefined variable 'x'"])
    }

    @Test func unclosedBlockIsReportedAtTheOpeningTagWithTheEndAsANote() {
        let diagnostics = errors("[\n  {% for x in xs %}\n  {{ x }}\n]\n", ["xs": []])
        #expect(diagnostics.map { $0.formatted() } == [
            "t.json:2:3: error: 'for' is not closed; expected 'endfor' or 'else' before the end of the template\n  {% for x in xs %}\n  ^\n"
                + "t.json:5:1: note: the template ends here\n\n^",
        ])
    }

    @Test func undefinedVariable() {
        #expect(located(errors("{{ hostnme }}", ["hostname": 1])) == ["t.json:1:4: undefined variable 'hostnme'; did you mean 'hostname'?"])
    }

    @Test func missingMapKey() {
        #expect(located(errors("{{ r.hostnam }}", ["r": ["hostname": "x"]])) == ["t.json:1:6: no key 'hostnam' in this map; did you mean 'hostname'?"])
    }

    @Test func missingObjectMember() {
        #expect(located(errors("{{ ip.famly }}", ["ip": .object(FakeAddress("192.0.2.1"))])) == ["t.json:1:7: an IP address has no member 'famly'; did you mean 'family'?"])
    }

    @Test func indexOutOfRange() {
        #expect(located(errors("{{ xs[3] }}", ["xs": [1]])) == ["t.json:1:6: index 3 is out of range for a list of 1 item(s)"])
    }

    @Test func unknownFunctionSuggestsTheClosest() {
        let lookup = TemplateFunction("reservations") { _ in .list([]) }
        #expect(located(errors("{{ reservatons(\"x\") }}", functions: [lookup])) == ["t.json:1:4: unknown function 'reservatons'; did you mean 'reservations'?"])
    }

    @Test func functionUsedAsVariable() {
        let lookup = TemplateFunction("prefixes") { _ in .list([]) }
        #expect(located(errors("{{ prefixes }}", functions: [lookup])) == ["t.json:1:4: 'prefixes' is a function; call it as prefixes(…)"])
    }

    @Test func comparingListWithIntegerIsATypeError() {
        #expect(located(errors("{{ [1] < 2 }}")) == ["t.json:1:8: cannot compare a list with an integer using '<'"])
    }

    @Test func loopOverNonList() {
        #expect(located(errors("{% for x in n %}{% endfor %}", ["n": 1])) == ["t.json:1:13: cannot loop over an integer; expected a list"])
    }

    @Test func memberOfString() {
        #expect(located(errors("{{ s.x }}", ["s": "a"])) == ["t.json:1:6: a string has no member 'x'"])
    }

    @Test func expectedExpression() {
        #expect(located(errors("{{ }}")) == ["t.json:1:4: expected a value, found the end of the tag"])
    }

    @Test func missingStatementName() {
        #expect(located(errors("{% 5 %}")) == ["t.json:1:4: expected a statement (for, if, …) after '{%', found '5'"])
    }

    @Test func renderErrorInsideIncludeNamesTheIncludedFile() {
        #expect(located(errors("{% include \"part.json\" %}", files: ["part.json": "\n  {{ missing }}"])) == ["part.json:2:6: undefined variable 'missing'"])
    }

    @Test func renderErrorInsideIncludeHasAnIncludedFromNote() {
        let diagnostics = errors("[\n {% include \"part.json\" %}]", files: ["part.json": "{{ missing }}"])
        #expect(diagnostics.first?.notes.map { "\($0.location?.description ?? ""): \($0.message)" } == ["t.json:2:2: included from here"])
    }

    @Test func templateErrorDescriptionJoinsFormattedDiagnostics() {
        let error = TemplateError(diagnostics: [Diagnostic(severity: .error, message: "a"), Diagnostic(severity: .error, message: "b")])
        #expect(error.description == "error: a\nerror: b")
    }
}
