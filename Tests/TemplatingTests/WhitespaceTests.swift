import Testing
@testable import Templating

@Suite struct WhitespaceTests {
    @Test func lineWithOnlyAStatementTagLeavesNoTrace() throws {
        #expect(try render("a\n  {% if true %}\nb\n  {% endif %}\nc\n") == "a\nb\nc\n")
    }

    @Test func lineWithOnlyACommentLeavesNoTrace() throws {
        #expect(try render("a\n  {# note #}\nb\n") == "a\nb\n")
    }

    @Test func multilineCommentOnItsOwnLinesLeavesNoTrace() throws {
        #expect(try render("a\n{# one\n   two #}\nb\n") == "a\nb\n")
    }

    @Test func severalTagsOnOneLineStillCountAsTagOnly() throws {
        #expect(try render("a\n{% set x = 1 %} {% set y = 2 %}\nb") == "a\nb")
    }

    @Test func tagOnlyFirstLineAndLastLineWithoutNewline() throws {
        #expect(try render("{% set x = 1 %}\na\n{% set y = 2 %}") == "a\n")
    }

    @Test func outputTagLineKeepsItsWhitespace() throws {
        #expect(try render("a\n  {{ 1 }}\nb", [:]) == "a\n  1\nb")
    }

    @Test func statementTagWithTextOnTheLineIsKept() throws {
        #expect(try render("  x {% if true %}y{% endif %}\n") == "  x y\n")
    }

    @Test func loopBodyLinesRenderOncePerItem() throws {
        let template = "[\n{% for x in xs %}\n  {{ x }},\n{% endfor %}\n]\n"
        #expect(try render(template, ["xs": [1, 2]]) == "[\n  1,\n  2,\n]\n")
    }

    @Test func dashTrimsWhitespaceIncludingNewlinesOnTheLeft() throws {
        #expect(try render("a  \n\n  {{- 1 }}") == "a1")
    }

    @Test func dashTrimsWhitespaceIncludingNewlinesOnTheRight() throws {
        #expect(try render("{{ 1 -}}  \n\n b") == "1b")
    }

    @Test func statementDashTrimsBothSides() throws {
        #expect(try render("[ {%- for x in xs -%} {{ x }} {%- endfor -%} ]", ["xs": [1, 2]]) == "[12]")
    }

    @Test func crlfLineWithOnlyATagIsRemoved() throws {
        #expect(try render("a\r\n{% set x = 1 %}\r\nb\r\n") == "a\r\nb\r\n")
    }
}

extension WhitespaceTests {
    @Test func commentTrimMarkers() throws {
        #expect(try render("a \n{#- note -#}\n b") == "ab")
    }
}

extension WhitespaceTests {
    /// The README's recipe for one JSON item per line, commas between.
    @Test func separatorRecipeGivesOneItemPerLine() throws {
        let template = #"""
        "reservations": [
          {% for r in rs sep ",\n" %}
          { "ip-address": {{ r }} }{% endfor %}
        ]
        """#
        #expect(try render(template, ["rs": ["a", "b"]]) == "\"reservations\": [\n  { \"ip-address\": \"a\" },\n  { \"ip-address\": \"b\" }\n]")
    }
}

/// Where a one-line `sep` goes: after the item's last visible character, so block-form loops read like JSON.
extension WhitespaceTests {
    @Test func separatorOfABlockLoopEndsTheItemsLine() throws {
        let template = "[\n{% for r in rs sep \",\" %}\n  {{ r }}\n{% endfor %}\n]\n"
        #expect(try render(template, ["rs": ["a", "b", "c"]]) == "[\n  \"a\",\n  \"b\",\n  \"c\"\n]\n")
    }

    @Test func separatorStaysAfterAnItemEndingInALineComment() throws {
        let template = "[\n{% for r in rs sep \",\" %}\n  {{ r }} // note\n{% endfor %}\n]\n"
        #expect(try render(template, ["rs": ["a", "b"]]) == "[\n  \"a\" // note\n,  \"b\" // note\n]\n")
    }

    @Test func commentMarkersInsideStringsDoNotCount() throws {
        let template = "[\n{% for r in rs sep \",\" %}\n  \"http://{{ r }}#x\"\n{% endfor %}\n]\n"
        #expect(try render(template, ["rs": ["a", "b"]]) == "[\n  \"http://a#x\",\n  \"http://b#x\"\n]\n")
    }

    @Test func separatorWithALineBreakIsWrittenWhereItStands() throws {
        let template = "[{% for r in rs sep \",\\n\" %}{{ r }} {% endfor %}]"
        #expect(try render(template, ["rs": ["a", "b"]]) == "[\"a\" ,\n\"b\" ]")
    }
}
