import Testing
@testable import Templating

/// A position in the rendered output leads back to the template text that produced it.
@Suite struct SourceMapTests {
    func mapped(_ text: String, _ globals: [String: Value] = [:], files: [String: String] = [:],
                line: Int, column: Int) throws -> String? {
        let environment = TemplateEnvironment(loader: InMemoryLoader(files), globals: globals)
        let result = try environment.render(source: TemplateSource(path: "t.json", text: text), sourceMap: true)
        let map = try #require(result.sourceMap)
        return map.diagnostic(.error, "here", outputLine: line, outputColumn: column).map {
            "\($0.location.map(\.description) ?? "?") \($0.sourceLine ?? "")"
        }
    }

    @Test func literalTextMapsToTheExactCharacter() throws {
        let template = "{% set x = 1 %}\n{\n  \"a\": 1,\n  \"b\": 2\n}\n"
        #expect(try mapped(template, line: 3, column: 3) == "t.json:4:3   \"b\": 2")
    }

    @Test func outputOfATagMapsToTheTag() throws {
        let template = "[\n{% for x in xs sep \",\" %}\n  { \"v\": {{ x }} }\n{% endfor %}\n]\n"
        // Output line 3 is the second item; column 10 is inside the value written by {{ x }}.
        #expect(try mapped(template, ["xs": ["a", "bbbb"]], line: 3, column: 11) == #"t.json:3:10   { "v": {{ x }} }"#)
    }

    @Test func textAfterAMovedSeparatorStillMapsExactly() throws {
        let template = "[\n{% for x in xs sep \",\" %}\n  {{ x }}\n{% endfor %}\n]\n"
        // Output: [\n  "a",\n  "b"\n]\n — the closing bracket is on output line 4.
        #expect(try mapped(template, ["xs": ["a", "b"]], line: 4, column: 1) == "t.json:5:1 ]")
    }

    @Test func includedTextMapsToTheIncludedFile() throws {
        let template = "{\n{% include \"part.json\" %}\n}\n"
        #expect(try mapped(template, files: ["part.json": "  \"a\": 1\n"], line: 2, column: 3) == #"part.json:1:3   "a": 1"#)
    }

    @Test func aPositionPastTheOutputMapsToNothing() throws {
        #expect(try mapped("{}\n", line: 9, column: 1) == nil)
    }
}
