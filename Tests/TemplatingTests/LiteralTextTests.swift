import Testing
@testable import Templating

/// `{% raw %}…{% endraw %}` and the one-delimiter literal `\{%`: tag-looking text written verbatim, the JSON
/// context still followed through it, and a clear error at a `{%` that was meant literally.
@Suite struct LiteralTextTests {
    private let loggerPattern = #""pattern": "%D{%Y-%m-%d %H:%M:%S.%q} %-5p [%c/%i] %m\n""#

    @Test func backslashBeforeAnOpenerWritesTheOpener() throws {
        #expect(try render(#"{ "p": "%D\{%Y-%m-%d} \{{ x }} \{# y #}" }"#) == #"{ "p": "%D{%Y-%m-%d} {{ x }} {# y #}" }"#)
    }

    @Test func evenBackslashRunsAreEscapedBackslashesAndTheTagIsReal() throws {
        #expect(try render(#""a\\{{ s }}""#, ["s": "x"]) == #""a\\x""#)
        #expect(try render(#""a\\\{{ s }}""#, ["s": "x"]) == #""a\\{{ s }}""#)
    }

    @Test func literalOpenerWorksOutsideStringsToo() throws {
        #expect(try render("# see \\{% raw %}\n{}") == "# see {% raw %}\n{}")
    }

    @Test func rawBlockIsVerbatim() throws {
        let text = #"{ "a": "x{% raw %}{{ y }}{% if %}{# z #}\{%{% endraw %}" }"#
        #expect(try render(text) == #"{ "a": "x{{ y }}{% if %}{# z #}\{%" }"#)
    }

    @Test func rawBlockOnItsOwnLinesLeavesNoTrace() throws {
        let text = "[\n{% raw %}\n  \"{{ a }}\",\n{% endraw %}\n  {{ b }}\n]"
        #expect(try render(text, ["b": .int(1)]) == "[\n  \"{{ a }}\",\n  1\n]")
    }

    @Test func rawBlockTrimMarkersTrimItsEdges() throws {
        #expect(try render("[ {%- raw -%}  {{ x }}  {%- endraw -%} ]") == "[{{ x }}]")
    }

    @Test func jsonContextRunsThroughRawText() throws {
        // The quote inside the raw block opens a string that the text after it closes: `{{ s }}` is inside it.
        #expect(try render(#"{% raw %}"{{{% endraw %} {{ s }}""#, ["s": "a\"b"]) == #""{{ a\"b""#)
    }

    @Test func unbalancedQuoteInRawTextInsideABranchIsReported() {
        let found = located(errors(#"{% if true %}{% raw %}"{% endraw %}{% endif %}"#))
        #expect(found.first?.hasPrefix("t.json:1:23: a JSON string opened here is still open at the end of this 'if' branch") == true)
    }

    @Test func unclosedRawBlockIsAnErrorAtItsTag() {
        #expect(located(errors("[ {% raw %} {{ x }} ]")) == ["t.json:1:3: '{% raw %}' is not closed: expected '{% endraw %}' before the end of the file"])
    }

    @Test func loggerPatternIsOneErrorAtTheOpenerWithTheLiteralSpelling() {
        let text = "{\n  \"loggers\": [ { \(loggerPattern) } ],\n  \"x\": 1\n}"
        #expect(located(errors(text)) == [
            #"t.json:2:32: '{%' inside a JSON string opens a template tag, and that tag is invalid (unterminated string literal); to write '{%' literally, write '\{%' (or put the text between '{% raw %}' and '{% endraw %}')"#,
        ])
    }

    @Test func loggerPatternWithTheLiteralSpellingRendersAsKeaReadsIt() throws {
        let escaped = loggerPattern.replacingOccurrences(of: "{%", with: #"\{%"#)
        #expect(try render("{ \(escaped) }") == "{ \(loggerPattern) }")
    }

    @Test func closedButInvalidTagInAStringIsReportedAtItsOpener() {
        #expect(located(errors(#"{ "a": "x{%Y%}" }"#)) == [
            #"t.json:1:10: '{%' inside a JSON string opens a template tag, and that tag is invalid (unknown tag 'Y'); to write '{%' literally, write '\{%' (or put the text between '{% raw %}' and '{% endraw %}')"#,
        ])
        #expect(located(errors(#"{ "a": "x{{ 5 % 2 }}" }"#)) == [
            #"t.json:1:10: '{{' inside a JSON string opens a template tag, and that tag is invalid (unexpected character '%' in tag); to write '{{' literally, write '\{{' (or put the text between '{% raw %}' and '{% endraw %}')"#,
        ])
    }

    @Test func anEmptyOutputTagInAStringIsReportedAtItsOpener() {
        #expect(located(errors(#"{ "a": "x{{}}" }"#)).first?.hasPrefix("t.json:1:10: '{{' inside a JSON string opens a template tag, and that tag is invalid (") == true)
    }

    @Test func invalidTagOutsideStringsKeepsItsOwnError() {
        #expect(located(errors("{ {% bogus %} }")) == ["t.json:1:6: unknown tag 'bogus'"])
    }
}

/// `LiteralText.escaped` (what `kea-netbox init` writes): any text renders back to itself.
@Suite struct LiteralTextEscapingTests {
    @Test func openersGetTheLiteralBackslash() {
        #expect(LiteralText.escaped(#""%D{%Y} {{x}} {#c#}""#) == #""%D\{%Y} \{{x}} \{#c#}""#)
    }

    @Test func anOpenerAfterAnOddBackslashRunGoesIntoARawBlock() throws {
        let text = #"# C:\{% and \\{% and \\\{{"#
        #expect(LiteralText.escaped(text) == #"# C:{% raw %}\{%{% endraw %} and \\\{% and {% raw %}\\\{{{% endraw %}"#)
        #expect(try render(LiteralText.escaped(text)) == text)
    }

    @Test func aValueInsideAStringIsWrittenWithoutQuotes() throws {
        #expect(try render(#"{ "p": "%D{{ "{%" }}Y" }"#) == #"{ "p": "%D{%Y" }"#)
    }

    /// Texts built from the characters that matter to tags (openers, closers, backslashes, trim markers, line
    /// breaks), from a fixed seed so every run sees the same ones.
    @Test func everyTextRendersBackToItself() throws {
        let alphabet = Array("{{%#}\\- a\n")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<Int(state >> 60) + 4 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            do {
                #expect(try render(LiteralText.escaped(text)) == text, "\(text.debugDescription)")
            } catch {
                Issue.record("\(text.debugDescription) escaped as \(LiteralText.escaped(text).debugDescription): \(error)")
            }
        }
    }
}
