import Testing
@testable import Templating

@Suite struct RendererTests {
    @Test func plainTextPassesThrough() throws {
        #expect(try render("{\"a\": 1}\n") == "{\"a\": 1}\n")
    }

    @Test func stringInValuePositionIsQuoted() throws {
        #expect(try render("{\"h\": {{ name }}}", ["name": "srv1"]) == "{\"h\": \"srv1\"}")
    }

    @Test func scalarsInValuePosition() throws {
        #expect(try render("{{ i }} {{ b }} {{ n }} {{ d }}", ["i": 42, "b": true, "n": nil, "d": .double(1.5)]) == "42 true null 1.5")
    }

    @Test func listAndMapAsCompactJSON() throws {
        let map: Value = ["k": "v", "n": [1, nil]]
        #expect(try render("{{ m }}", ["m": map]) == #"{"k":"v","n":[1,null]}"#)
    }

    @Test func objectRendersAsQuotedText() throws {
        #expect(try render("{{ ip }}", ["ip": .object(FakeAddress("192.0.2.1"))]) == #""192.0.2.1""#)
    }

    @Test func objectInsideStringRendersItsText() throws {
        #expect(try render(#""{{ ip }}/24""#, ["ip": .object(FakeAddress("192.0.2.1"))]) == #""192.0.2.1/24""#)
    }

    @Test func objectMember() throws {
        #expect(try render("{{ ip.family }}", ["ip": .object(FakeAddress("192.0.2.1"))]) == "4")
    }

    @Test func forLoopWithSeparator() throws {
        #expect(try render(#"[{% for x in xs sep ", " %}{{ x }}{% endfor %}]"#, ["xs": [1, 2, 3]]) == "[1, 2, 3]")
    }

    @Test func forElseRunsOnEmptyList() throws {
        #expect(try render("{% for x in xs %}{{ x }}{% else %}none{% endfor %}", ["xs": []]) == "none")
    }

    @Test func loopVariables() throws {
        let template = "{% for x in xs %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }};{% endfor %}"
        #expect(try render(template, ["xs": ["a", "b"]]) == "1/0/true/false/2;2/1/false/true/2;")
    }

    @Test func nestedLoopsShadowLoop() throws {
        let template = "{% for a in xs %}{% for b in xs %}{{ loop.index }}{% endfor %}{{ loop.index }} {% endfor %}"
        #expect(try render(template, ["xs": [1, 2]]) == "121 122 ")
    }

    @Test func loopOverMapGivesKeys() throws {
        #expect(try render("{% for k in m %}{{ k }}{% endfor %}", ["m": ["a": 1, "b": 2]]) == #""a""b""#)
    }

    @Test func loopOverMapWithKeyAndValue() throws {
        #expect(try render(#"{% for k, v in m sep "," %}"{{ k }}={{ v }}"{% endfor %}"#, ["m": ["a": 1, "b": "x"]]) == #""a=1","b=x""#)
    }

    @Test func twoLoopVariablesOverAListIsAnError() {
        #expect(located(errors("{% for k, v in xs %}{% endfor %}", ["xs": [1]])) == ["t.json:1:16: 'for k, v' needs a map, got a list"])
    }

    @Test func ifElifElse() throws {
        let template = "{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %}"
        #expect(try render(template, ["n": 1]) == "one")
        #expect(try render(template, ["n": 2]) == "two")
        #expect(try render(template, ["n": 5]) == "many")
    }

    @Test func setAssignsAVariable() throws {
        #expect(try render("{% set x = 40 %}{{ x }}") == "40")
    }

    @Test func setInsideLoopDoesNotLeak() throws {
        #expect(try render("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{{ x }}{% endfor %}{{ x }}") == "21")
    }

    @Test func warnProducesAWarningAndRenderingGoesOn() throws {
        let result = try renderResult("a\n{% warn \"careful\" %}\nb")
        #expect(result.output == "a\nb")
        #expect(located(result.warnings) == ["t.json:2:1: careful"])
        #expect(result.warnings.first?.severity == .warning)
    }

    @Test func errorTagFailsRendering() {
        #expect(located(errors("x\n  {% error \"no subnets\" %}\n")) == ["t.json:2:3: no subnets"])
    }

    @Test func errorTagInUntakenBranchDoesNothing() throws {
        #expect(try render("{% if false %}{% error \"x\" %}{% endif %}ok") == "ok")
    }

    @Test func truthiness() throws {
        let template = "{% for v in vs %}{% if v %}T{% else %}F{% endif %}{% endfor %}"
        let values: Value = [false, nil, 0, "", [], .map(ValueMap()), true, 1, "x", [0], ["k": 0]]
        #expect(try render(template, ["vs": values]) == "FFFFFFTTTTT")
    }

    @Test func comparisons() throws {
        #expect(try render("{{ 1 < 2 }} {{ 2 <= 2 }} {{ 3 > 4 }} {{ 4 >= 5 }} {{ \"a\" < \"b\" }} {{ 1 == 1 }} {{ 1 != 1 }}") == "true true false false true true false")
    }

    @Test func inAndNotIn() throws {
        #expect(try render(#"{{ 2 in [1, 2] }} {{ 3 not in [1, 2] }} {{ "b" in "abc" }} {{ "k" in m }}"#, ["m": ["k": 1]]) == "true true true true")
    }

    @Test func andOrNotWithParentheses() throws {
        #expect(try render("{{ not (true and false) or false }}") == "true")
    }

    @Test func orReturnsTheFirstTruthyOperand() throws {
        #expect(try render(#"{{ name or "unnamed" }}"#, ["name": ""]) == #""unnamed""#)
    }

    @Test func memberAndIndexAccess() throws {
        let data: Value = ["list": [10, 20, 30], "map": ["key-with-dash": "v"]]
        #expect(try render(#"{{ d.list[0] }} {{ d.list[-1] }} {{ d.map["key-with-dash"] }} {{ d["list"][1] }}"#, ["d": data]) == #"10 30 "v" 20"#)
    }

    @Test func listLiteral() throws {
        #expect(try render(#"{{ [1, "a", true, null] }}"#) == #"[1,"a",true,null]"#)
    }

    @Test func objectEqualsItsText() throws {
        #expect(try render(#"{{ ip == "192.0.2.1" }}"#, ["ip": .object(FakeAddress("192.0.2.1"))]) == "true")
    }

    @Test func functionCallWithPositionalAndNamedArguments() throws {
        let echo = TemplateFunction("pair") { arguments in
            .list([arguments.positional.first ?? .null, arguments.named["tag"] ?? .null])
        }
        #expect(try render(#"{{ pair(1, tag="x") }}"#, functions: [echo]) == #"[1,"x"]"#)
    }

    @Test func functionErrorReportedAtTheCall() {
        let failing = TemplateFunction("prefix") { _ in throw FunctionError("not a CIDR: 'x'") }
        #expect(located(errors("a\n {{ prefix(\"x\") }}", functions: [failing])) == ["t.json:2:5: prefix(): not a CIDR: 'x'"])
    }

    @Test func functionArgumentHelpers() throws {
        let arguments = FunctionArguments(positional: ["a"], named: ValueMap([("vrf", "blue"), ("family", 4)]))
        #expect(try arguments.string(0, named: "subnet") == "a")
        #expect(try arguments.string(1, named: "vrf") == "blue")
        #expect(try arguments.int(9, named: "family") == 4)
        #expect(try arguments.bool(3, named: "missing") == nil)
        #expect(throws: FunctionError.self) { try arguments.int(0, named: "subnet") }
        #expect(throws: FunctionError.self) { try arguments.expectOnly(named: ["vrf"], positionalCount: 1) }
    }

    @Test func renderIsAllOrNothing() {
        // The error comes after output has been produced: nothing of it is returned.
        #expect(located(errors("\"a\": 1,\n{{ missing }}")) == ["t.json:2:4: undefined variable 'missing'"])
    }
}

@Suite struct ValueTests {
    @Test func valueMapKeepsInsertionOrderAndReplacesInPlace() {
        var map: ValueMap = ["b": 1, "a": 2]
        map["b"] = 3
        map["c"] = 4
        #expect(map.keys == ["b", "a", "c"])
        #expect(Value.map(map).description == #"{"b":3,"a":2,"c":4}"#)
    }

    @Test func largeValueMapLooksUpThroughItsIndex() {
        let map = ValueMap((0..<100).map { ("k\($0)", Value.int($0)) })
        #expect(map["k77"].map { Value.int(77).isEqual(to: $0) } == true)
        #expect(map["nope"] == nil)
    }

    @Test func removingAKeyKeepsTheRestFindable() {
        var map = ValueMap((0..<20).map { ("k\($0)", Value.int($0)) })
        map["k3"] = nil
        #expect(map.count == 19)
        #expect(map["k19"].map { Value.int(19).isEqual(to: $0) } == true)
    }

    @Test func integerEqualsWholeDouble() {
        #expect(Value.int(2).isEqual(to: .double(2)))
        #expect(!Value.int(2).isEqual(to: .string("2")))
    }
}
