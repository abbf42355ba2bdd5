import Diagnostics
import Testing

/// The one printer: exact output of each format.
@Suite struct DiagnosticFormatTests {
    let unclosed = Diagnostic(
        severity: .error, rule: "unclosed-block", message: "'for' is not closed",
        location: SourceLocation(file: "t.tmpl", line: 9, column: 1), sourceLine: "",
        notes: [.note("'for' opened here", at: SourceLocation(file: "t.tmpl", line: 2, column: 3),
                      sourceLine: "  {% for x in xs %}")])

    @Test func textShowsRuleSourceLineCaretAndNotes() {
        #expect(DiagnosticFormat.text(unclosed) == """
            t.tmpl:9:1: error: 'for' is not closed [unclosed-block]

            ^
            t.tmpl:2:3: note: 'for' opened here
              {% for x in xs %}
              ^
            """)
    }

    @Test func caretKeepsTabs() {
        let diagnostic = Diagnostic(severity: .error, message: "m", location: SourceLocation(file: "f", line: 1, column: 3),
                                    sourceLine: "\tab")
        #expect(diagnostic.formatted() == "f:1:3: error: m\n\tab\n\t ^")
    }

    @Test func withoutAPlaceTheSeverityLeads() {
        #expect(DiagnosticFormat.text(Diagnostic(severity: .warning, message: "NetBox data: x")) == "warning: NetBox data: x")
    }

    @Test func jsonHasFixedKeysAndEscapesMessages() {
        let quoted = Diagnostic(severity: .warning, message: "device \"a\\b\"\n")
        #expect(DiagnosticFormat.json([unclosed, quoted]) == #"""
            [
              {"file": "t.tmpl", "line": 9, "column": 1, "severity": "error", "rule": "unclosed-block", "message": "'for' is not closed", "notes": [{"file": "t.tmpl", "line": 2, "column": 3, "severity": "note", "rule": null, "message": "'for' opened here", "notes": []}]},
              {"severity": "warning", "rule": null, "message": "device \"a\\b\"\n", "notes": []}
            ]
            """#)
        #expect(DiagnosticFormat.json([]) == "[]")
    }

    @Test func githubAnnotatesTheCauseAndTheNoteOnAnotherLine() {
        #expect(DiagnosticFormat.github(unclosed) == """
            ::error file=t.tmpl,line=9,col=1,title=unclosed-block::'for' is not closed%0At.tmpl:2:3: 'for' opened here
            ::notice file=t.tmpl,line=2,col=3,title=unclosed-block::'for' opened here ('for' is not closed)
            """)
    }

    @Test func githubEscapesPropertiesAndLineBreaks() {
        let odd = Diagnostic(severity: .warning, message: "50%\r\nnext",
                             location: SourceLocation(file: "a,b:c.tmpl", line: 1, column: 2))
        #expect(DiagnosticFormat.github(odd) == "::warning file=a%2Cb%3Ac.tmpl,line=1,col=2::50%25%0D%0Anext")
    }
}

@Suite struct LineTableTests {
    let table = LineTable(Array("ab\né😀x\r\n\nz".utf8))

    @Test func locationsCountScalarsFromOne() {
        #expect(table.location(of: 0) == (1, 1))
        #expect(table.location(of: 3) == (2, 1))
        // é is 2 bytes, 😀 is 4: x starts at byte 9.
        #expect(table.location(of: 9) == (2, 3))
        #expect(table.location(of: 1_000) == (4, 2))
    }

    @Test func offsetIsTheInverse() {
        for offset in [0, 1, 3, 5, 9, 13] {
            let (line, column) = table.location(of: offset)
            #expect(table.offset(line: line, column: column) == offset)
        }
        #expect(table.offset(line: 9, column: 1) == nil)
    }

    @Test func lineTextDropsTheLineBreak() {
        #expect(table.lineText(2) == "é😀x")
        #expect(table.lineText(3) == "")
        #expect(table.lineText(4) == "z")
    }
}

@Suite struct JSONStringTests {
    @Test func escapesOnlyQuoteBackslashAndControls() {
        #expect(JSONString.quoted("a\"b\\c\u{01}\n\té😀") == "\"a\\\"b\\\\c\\u0001\\n\\té😀\"")
    }
}
