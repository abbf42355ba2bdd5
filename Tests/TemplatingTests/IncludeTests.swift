import Testing
@testable import Templating

@Suite struct IncludeTests {
    @Test func includeRendersTheOtherFileWithTheSameVariables() throws {
        let files = ["conf/part.json": "\"x\": {{ x }}"]
        let environment = TemplateEnvironment(loader: InMemoryLoader(files), globals: ["x": 1])
        let result = try environment.render(source: TemplateSource(path: "conf/main.json", text: "{ {% include \"part.json\" %} }"))
        #expect(result.output == "{ \"x\": 1 }")
    }

    @Test func pathIsRelativeToTheIncludingFile() throws {
        let files = [
            "conf/main.json": "[{% include \"sub/a.json\" %}]",
            "conf/sub/a.json": "{% include \"../b.json\" %}",
            "conf/b.json": "42",
        ]
        let environment = TemplateEnvironment(loader: InMemoryLoader(files))
        #expect(try environment.render(path: "conf/main.json").output == "[42]")
    }

    @Test func includedFileInheritsTheStringContext() throws {
        #expect(try render("\"{% include \"p\" %}\"", ["v": "a\"b"], files: ["p": "{{ v }}"]) == #""a\"b""#)
    }

    @Test func sameFileIncludedInTwoContextsEscapesForEach() throws {
        #expect(try render("{% include \"p\" %} \"{% include \"p\" %}\"", ["v": "x"], files: ["p": "{{ v }}"]) == #""x" "x""#)
    }

    @Test func includeInsideLoopIsParsedOnce() throws {
        #expect(try render("{% for v in xs %}{% include \"p\" %}{% endfor %}", ["xs": [1, 2, 3]], files: ["p": "{{ v }}"]) == "123")
    }

    @Test func cycleIsAnErrorShowingTheChain() {
        let files = ["a": "{% include \"b\" %}", "b": "\n{% include \"a\" %}"]
        let environment = TemplateEnvironment(loader: InMemoryLoader(files))
        #expect(located(environment.check(path: "a")) == ["b:2:1: include cycle: a -> b -> a"])
    }

    @Test func selfIncludeIsACycle() {
        #expect(located(errors("{% include \"t.json\" %}")) == ["t.json:1:1: include cycle: t.json -> t.json"])
    }

    @Test func missingIncludeIsReportedAtTheTag() {
        #expect(located(errors("x\n {% include \"nope.json\" %}")) == ["t.json:2:2: cannot include 'nope.json': no template named 'nope.json'"])
    }

    @Test func parseErrorsInIncludedFilesAreReported() {
        #expect(located(errors("{% include \"p\" %}", files: ["p": "{{ 1 +"])) == ["p:1:1: unterminated '{{' tag: no '}}' before the end of the file"])
    }

    @Test func errorInFileIncludedInTwoContextsIsReportedOnce() {
        #expect(located(errors("{% include \"p\" %} \"{% include \"p\" %}\"", files: ["p": "{% bogus %}"])) == ["p:1:4: unknown tag 'bogus'"])
    }

    @Test func includeThatLeavesAStringOpenIsReported() {
        #expect(located(errors("[{% include \"p\" %}]", files: ["p": "\"open"])) == [
            "p:1:1: a JSON string opened here is still open at the end of the included template; an include must leave the JSON context as it found it",
        ])
    }

    @Test func missingTopLevelFileIsAnErrorWithoutLocation() {
        let environment = TemplateEnvironment(loader: InMemoryLoader([:]))
        #expect(located(environment.check(path: "main.json")) == ["no template named 'main.json'"])
    }

    @Test func fileSystemLoaderReadsFilesAndResolvesIncludes() throws {
        let folder = "/tmp/templating-tests-\(UInt64.random(in: 0...UInt64.max))"
        try FileFixture.write(["\(folder)/main.json": "[{% include \"inc/x.json\" %}]", "\(folder)/inc/x.json": "{{ 7 }}"])
        defer { FileFixture.remove(folder) }
        let environment = TemplateEnvironment()
        #expect(try environment.render(path: "\(folder)/main.json").output == "[7]")
    }

    @Test func fileSystemLoaderReportsMissingFile() {
        let environment = TemplateEnvironment()
        #expect(located(environment.check(path: "/nonexistent/kea.json")) == ["cannot read '/nonexistent/kea.json': No such file or directory"])
    }
}

@Suite struct IncludePathTests {
    @Test func relativeToTheIncludingFolder() {
        #expect(IncludePath.resolve("b.json", relativeTo: "/etc/kea/main.json") == "/etc/kea/b.json")
    }

    @Test func parentSegmentsAreFolded() {
        #expect(IncludePath.resolve("../shared/./b.json", relativeTo: "conf/v4/main.json") == "conf/shared/b.json")
    }

    @Test func absolutePathStaysAbsolute() {
        #expect(IncludePath.resolve("/srv/x.json", relativeTo: "conf/main.json") == "/srv/x.json")
    }

    @Test func fileWithoutFolder() {
        #expect(IncludePath.resolve("x.json", relativeTo: "main.json") == "x.json")
    }
}
