import Diagnostics
import Testing
@testable import Templating

/// The static checks find, without data and in branches no data takes, what would fail a render the day data
/// takes them; and nothing in a correct template.
@Suite struct StaticCheckerTests {
    static let host = ObjectShape(typeName: "host", members: [("ip", .string), ("tags", .list(of: .string)),
                                                              ("fields", .map(keys: nil))])
    let hosts = TemplateFunction("hosts", signature: FunctionSignature(parameters: ["subnet", "status"], positionalCount: 1,
                                                                      returns: .list(of: .object(StaticCheckerTests.host)))) { _ in .list([]) }

    func findings(_ text: String, globals: [String: Value] = [:], files: [String: String] = [:]) -> [String] {
        let environment = TemplateEnvironment(loader: InMemoryLoader(files), globals: globals, functions: [hosts])
        return environment.analyze(source: TemplateSource(path: "t.json", text: text)).diagnostics.map { diagnostic in
            "\(diagnostic.location.map { "\($0.line):\($0.column)" } ?? "-") \(diagnostic.severity.rawValue) \(diagnostic.rule ?? "-"): \(diagnostic.message)"
        }
    }

    @Test func anUndefinedFunctionInABranchNoDataTakesIsAnError() {
        #expect(findings(#"[{% for h in hosts("x") %}{% if h.tags | length > 100 %}{{ undefined_thing(h) }}{% endif %}{% endfor %}]"#)
                == ["1:60 error static-check: unknown function 'undefined_thing'"])
    }

    @Test func aMisspeltMemberInAnEmptyLoopIsAnError() {
        #expect(findings(#"[{% for h in hosts("x") %}{{ h.ipp }}{% endfor %}]"#)
                == ["1:32 error static-check: a host has no member 'ipp'; did you mean 'ip'?"])
    }

    @Test func aMisspeltArgumentNameGetsASuggestion() {
        #expect(findings(#"[{% for h in hosts("x", stauts="active") %}{% endfor %}]"#)
                == ["1:32 error static-check: hosts(): unknown argument 'stauts'; did you mean 'status'?"])
    }

    @Test func tooManyPositionalArguments() {
        #expect(findings(#"{{ hosts("x", "y") }}"#) == ["1:4 error static-check: hosts(): takes at most 1 positional argument, got 2"])
    }

    @Test func undefinedVariableInAnElseBranchWithSuggestion() {
        #expect(findings("{% if true %}1{% else %}{{ nmae }}{% endif %}", globals: ["name": .string("x")])
                == ["1:28 error static-check: undefined variable 'nmae'; did you mean 'name'?"])
    }

    @Test func aFilterAttributeMustBeAMember() {
        #expect(findings(#"{{ hosts("x") | sort(attribute="iq") | length }}"#)
                == ["1:32 error static-check: a host has no member 'iq'; did you mean 'ip'?"])
    }

    @Test func defaultMakesAMissingMemberOrNameFine() {
        #expect(findings(#"[{% for h in hosts("x") %}{{ h.extra | default("") }}{{ nosuch | default(1) }}{% endfor %}]"#) == [])
    }

    @Test func dataDependentKeysAreLeftToTheRender() {
        #expect(findings(#"[{% for h in hosts("x") %}{{ h.fields.anything }}{{ h.tags[3] }}{% endfor %}]"#) == [])
    }

    @Test func loopAndSetNamesAreKnownAndIncludesAreChecked() {
        #expect(findings(#"[{% for h in hosts("x") %}{% set n = loop.index %}{{ n }}{% include "i" %}{% endfor %}]"#,
                         files: ["i": "{{ h.ipx }}{{ loop.frist }}"])
                == ["1:6 error static-check: a host has no member 'ipx'; did you mean 'ip'?",
                    "1:20 error static-check: no key 'frist' in this map; did you mean 'first'?"])
    }

    @Test func aSetNothingReadsIsAWarningAtItsTag() {
        #expect(findings("{% set unused = 1 %}{% set used = 2 %}{{ used }}")
                == ["1:1 warning unused-variable: 'unused' is set but never used"])
    }

    @Test func aCorrectTemplateHasNoFindings() {
        #expect(findings(#"[{% for h in hosts("x") sep "," %}{ "ip": {{ h.ip }}, "n": {{ loop.index }} }{% endfor %}]"#) == [])
    }
}

@Suite struct JSONKeyPathTests {
    @Test func followsKeysListsStringsAndComments() {
        var path = JSONKeyPath()
        let text = #"{ "Dhcp4": { /* "x": [ */ "subnet4": [ { "id": 1, "a\"b": "c", # "y": ["# + "\n"
            + #"  "reservations": ["#
        path.advance(over: Array(text.utf8))
        #expect(path.components == ["Dhcp4", "subnet4", "[]", "reservations", "[]"])
        path.advance(over: Array("] }, ".utf8))
        #expect(path.components == ["Dhcp4", "subnet4", "[]"])
    }
}
