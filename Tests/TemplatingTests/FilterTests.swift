import Testing
@testable import Templating

@Suite struct FilterTests {
    private let hosts: Value = [
        ["name": "b", "ip": .object(FakeAddress("192.0.2.10")), "site": ["slug": "dc2"], "status": "active"],
        ["name": "a", "ip": .object(FakeAddress("192.0.2.9")), "site": ["slug": "dc1"], "status": "offline"],
        ["name": "c", "ip": .object(FakeAddress("192.0.2.100")), "site": ["slug": "dc1"], "status": "active"],
    ]

    @Test func defaultReplacesMissingVariable() throws {
        #expect(try render(#"{{ nope | default("x") }}"#) == #""x""#)
    }

    @Test func defaultReplacesNull() throws {
        #expect(try render(#"{{ t | default("none") }}"#, ["t": nil]) == #""none""#)
    }

    @Test func defaultReplacesMissingMemberAndMemberOfNull() throws {
        #expect(try render(#"{{ r.tenant | default(1) }} {{ r.site.name | default(2) }}"#, ["r": ["site": nil]]) == "1 2")
    }

    @Test func defaultReplacesMissingIndexAndKey() throws {
        #expect(try render(#"{{ xs[5] | default(0) }} {{ m["k-2"] | default(1) }}"#, ["xs": [1], "m": ["k": 1]]) == "0 1")
    }

    @Test func defaultDoesNotHideATypeErrorInTheChain() {
        #expect(located(errors(#"{{ s.x | default(1) }}"#, ["s": "a"])) == ["t.json:1:6: a string has no member 'x'"])
    }

    @Test func defaultKeepsPresentFalsyValues() throws {
        #expect(try render(#"{{ z | default(5) }} {{ e | default("x") }}"#, ["z": 0, "e": ""]) == #"0 """#)
    }

    @Test func defaultDoesNotHideOtherErrors() {
        #expect(located(errors(#"{{ n | length | default(0) }}"#, ["n": 3])) == ["t.json:1:8: cannot take the length of an integer"])
    }

    @Test func lowerUpper() throws {
        #expect(try render(#""{{ s | lower }} {{ s | upper }}""#, ["s": "AbC"]) == #""abc ABC""#)
    }

    @Test func replace() throws {
        #expect(try render(#""{{ s | replace("-", "_") }}""#, ["s": "a-b-c"]) == #""a_b_c""#)
    }

    @Test func join() throws {
        #expect(try render(#""{{ xs | join(", ") }}""#, ["xs": ["a", 1, .object(FakeAddress("192.0.2.1"))]]) == #""a, 1, 192.0.2.1""#)
    }

    @Test func length() throws {
        #expect(try render(#"{{ "héllo" | length }} {{ [1, 2] | length }} {{ m | length }}"#, ["m": ["a": 1]]) == "5 2 1")
    }

    @Test func firstAndLast() throws {
        #expect(try render("{{ xs | first }} {{ xs | last }}", ["xs": [1, 2, 3]]) == "1 3")
    }

    @Test func firstOfEmptyListIsAnError() {
        #expect(located(errors("{{ xs | first }}", ["xs": []])) == ["t.json:1:9: 'first' of an empty list"])
    }

    @Test func sortScalars() throws {
        #expect(try render(#"{{ [3, 1, 2] | sort }} {{ ["b", "a"] | sort }}"#) == #"[1,2,3] ["a","b"]"#)
    }

    @Test func sortByAttributeUsesObjectOrdering() throws {
        #expect(try render(#"{{ hosts | sort(attribute="ip") | map(attribute="name") }}"#, ["hosts": hosts]) == #"["a","b","c"]"#)
    }

    @Test func sortByDottedAttributeIsStable() throws {
        #expect(try render(#"{{ hosts | sort(attribute="site.slug") | map(attribute="name") }}"#, ["hosts": hosts]) == #"["a","c","b"]"#)
    }

    @Test func sortReverse() throws {
        #expect(try render(#"{{ [1, 3, 2] | sort(reverse=true) }}"#) == "[3,2,1]")
    }

    @Test func sortMixedKindsIsAnError() {
        #expect(located(errors(#"{{ [1, "a"] | sort }}"#)) == ["t.json:1:15: 'sort': cannot order a number against a string (mixed values)"])
    }

    @Test func unique() throws {
        #expect(try render(#"{{ [1, 2, 1, "1", 2] | unique }}"#) == #"[1,2,"1"]"#)
    }

    @Test func uniqueByAttributeKeepsTheFirstItemOfEachValue() throws {
        #expect(try render(#"{{ hosts | unique(attribute="status") | map(attribute="name") }}"#, ["hosts": hosts]) == #"["b","a"]"#)
    }

    @Test func whereFiltersByAttributeValue() throws {
        #expect(try render(#"{{ hosts | where("status", "active") | map(attribute="name") }}"#, ["hosts": hosts]) == #"["b","c"]"#)
    }

    @Test func whereWithDottedAttribute() throws {
        #expect(try render(#"{{ hosts | where("site.slug", "dc1") | length }}"#, ["hosts": hosts]) == "2")
    }

    @Test func jsonInsideStringIsEscapedJSONText() throws {
        #expect(try render(#""{{ m | json }}""#, ["m": ["k": "v"]]) == #""{\"k\":\"v\"}""#)
    }

    @Test func stringConvertsToText() throws {
        #expect(try render(#"{{ 5 | string }} {{ null | string }}"#) == #""5" """#)
    }

    @Test func intParsesText() throws {
        #expect(try render(#"{{ "42" | int }} {{ true | int }}"#) == "42 1")
    }

    @Test func intOfNonNumberIsAnError() {
        #expect(located(errors(#"{{ "4x" | int }}"#)) == [#"t.json:1:11: 'int': "4x" is not an integer"#])
    }

    @Test func reverse() throws {
        #expect(try render("{{ [1, 2] | reverse }}") == "[2,1]")
    }

    @Test func filterChain() throws {
        #expect(try render(#""{{ xs | sort | join("-") | upper }}""#, ["xs": ["b", "a"]]) == #""A-B""#)
    }

    @Test func filterArgumentsMayBeNamed() throws {
        #expect(try render(#""{{ s | replace(old="a", new="b") }}""#, ["s": "aa"]) == #""bb""#)
    }

    @Test func lengthOfIntegerIsATypeError() {
        #expect(located(errors("{{ 5 | length }}")) == ["t.json:1:8: cannot take the length of an integer"])
    }

    @Test func unknownFilterSuggestsTheClosest() {
        #expect(located(errors("{{ x | lenght }}", ["x": [1]])) == ["t.json:1:8: unknown filter 'lenght'; did you mean 'length'?"])
    }

    @Test func unknownFilterIsFoundWithoutData() {
        let environment = TemplateEnvironment(loader: InMemoryLoader([:]))
        #expect(located(environment.check(source: TemplateSource(path: "t.json", text: "{{ x | uniq }}"))) == ["t.json:1:8: unknown filter 'uniq'; did you mean 'unique'?"])
    }

    @Test func misspeltFilterArgumentIsAnError() {
        #expect(located(errors(#"{{ xs | sort(attr="ip") }}"#)) == ["t.json:1:9: 'sort' has no argument 'attr'; did you mean 'attribute'?"])
    }

    @Test func tooManyFilterArgumentsIsAnError() {
        #expect(located(errors(#"{{ xs | length(1) }}"#)) == ["t.json:1:9: 'length' takes no arguments"])
    }
}
