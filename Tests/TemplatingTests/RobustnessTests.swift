import Testing
@testable import Templating

/// Random and mutated templates must give a result or diagnostics, never a crash or a hang.
@Suite struct RobustnessTests {
    static let seeds = [
        "{\n  \"a\": {{ x }},\n  \"b\": \"{{ s | upper }}\" // {{ s }}\n}\n",
        "{% for r in rs sep \",\" %}{ \"ip\": {{ r.ip }}, \"n\": {{ loop.index }} }{% else %}null{% endfor %}",
        "{% if x > 1 and not (s in [\"a\", 'b']) %}/* {{ s }} */{% elif m.k %}{{ m[\"k\"] }}{% else %}#{{ s }}\n{% endif %}",
        "{% set y = rs | sort(attribute=\"ip\") | map(attribute=\"name\") | join(\", \") %}\"{{ y }}\" {{ y | length }}",
        "{%- include \"inc\" -%} {# note #} {{ f(1, k=\"v\") | default(null) }} {{ rs | where(\"name\", \"a\") | first }}",
        "{% error \"e\" %}{% warn \"w\" %}{{ xs[0] }}{{ m.missing | default(1) }}{{ s | replace(\"a\", \"b\") | raw }}",
    ]

    static let fragments = ["{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "\"", "'", "\\", "/*", "*/", "//", "#", "\n",
                            "for", "endfor", "if", "endif", "else", "elif", "in", "not", "set", "=", "|", "(", ")", "[", "]",
                            ",", ".", "x", "rs", "sep", "include", "error", "warn", "1", "-", "é", "😀", " ", "<", "==", "and"]

    static let globals: [String: Value] = [
        "x": 3, "s": "a\"b", "m": ["k": "v"], "xs": [1, 2],
        "rs": [["ip": .object(FakeAddress("192.0.2.2")), "name": "a"], ["ip": .object(FakeAddress("192.0.2.1")), "name": "b"]],
    ]

    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0...Int(random.next() % 4) {
            let position = scalars.isEmpty ? 0 : Int(random.next() % UInt64(scalars.count + 1))
            switch random.next() % 4 {
            case 0:
                let fragment = fragments[Int(random.next() % UInt64(fragments.count))]
                scalars.insert(contentsOf: fragment.unicodeScalars, at: position)
            case 1:
                let length = Int(random.next() % 6)
                scalars.removeSubrange(position..<min(scalars.count, position + length))
            case 2:
                if position < scalars.count {
                    let end = min(scalars.count, position + Int(random.next() % 10))
                    scalars.insert(contentsOf: Array(scalars[position..<end]), at: Int(random.next() % UInt64(scalars.count + 1)))
                }
            default:
                if position < scalars.count { scalars[position] = fragments[Int(random.next() % UInt64(fragments.count))].unicodeScalars.first ?? "x" }
            }
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    static func randomTemplate(_ random: inout SplitMix64) -> String {
        var text = ""
        for _ in 0..<Int(random.next() % 30) { text += fragments[Int(random.next() % UInt64(fragments.count))] }
        return text
    }

    /// Either output or at least one error diagnostic with a location inside a known file.
    private func exercise(_ text: String) {
        let files = ["inc": "{{ x }}", "t.json": text]
        let environment = TemplateEnvironment(loader: InMemoryLoader(files), globals: RobustnessTests.globals,
                                              functions: [TemplateFunction("f") { $0.positional.first ?? .null }])
        do {
            _ = try environment.render(source: TemplateSource(path: "t.json", text: text))
        } catch {
            #expect(!error.diagnostics.isEmpty, "no diagnostics for \(text.debugDescription)")
            for diagnostic in error.diagnostics {
                _ = diagnostic.formatted()
                if let location = diagnostic.location {
                    #expect(location.line >= 1 && location.column >= 1, "\(text.debugDescription)")
                }
            }
        }
        _ = environment.check(path: "t.json")
    }

    @Test func mutatedTemplates() {
        var random = SplitMix64(seed: 2024)
        for index in 0..<3000 {
            exercise(RobustnessTests.mutate(RobustnessTests.seeds[index % RobustnessTests.seeds.count], &random))
        }
    }

    @Test func randomTemplates() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 { exercise(RobustnessTests.randomTemplate(&random)) }
    }

    @Test func randomBytesIncludingInvalidUTF8() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<500 {
            let bytes = (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) | (random.next() % 3 == 0 ? 0 : 0x20) }
            exercise(String(decoding: bytes, as: UTF8.self))
        }
    }
}
