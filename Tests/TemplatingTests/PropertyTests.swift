import Diagnostics
import Foundation
import Testing
@testable import Templating

/// Deterministic generator so a failing case reproduces from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Removes `//`, `#` and `/* */` comments outside strings: what Kea's reader does before the JSON proper.
enum CommentStripper {
    static func strip(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                output.append(byte)
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    output.append(bytes[index + 1])
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                output.append(byte)
                index += 1
            } else if byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "/") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/")) {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index += 2
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

@Suite struct PropertyTests {
    static let template = """
    {
      // line comment: {{ v }} end
      # hash comment: {{ v }} end
      /* block comment: {{ v }} end */
      /*{{ v }}*/
      "value": {{ v }},
      "inside": "<{{ v }}>",
      "json": "{{ v | json }}"
    }
    """

    /// Pieces chosen to attack each context: quotes, escapes, every control character, comment openers and
    /// closers, template syntax, and non-ASCII (emoji, U+2028 line separator, combining marks).
    static let pieces: [String] = {
        var pieces = ["\"", "\\", "*/", "/*", "//", "#", "/", "*", "\n", "\r\n", "\u{2028}", "\u{2029}", "\u{85}",
                      "{{ v }}", "{% if x %}", "{# c #}", "}}", "%}", "\", \"evil\": \"", "é", "😀", "e\u{301}",
                      "\u{7f}", "\u{ff}", "\u{100}", "a", " ", "\t", "'", "{", "}", "[", "]", ","]
        for scalar in 0..<0x20 { pieces.append(String(UnicodeScalar(UInt8(scalar)))) }
        return pieces
    }()

    static func generate(_ random: inout SplitMix64) -> String {
        let length = Int(random.next() % 12)
        var text = ""
        for _ in 0..<length { text += pieces[Int(random.next() % UInt64(pieces.count))] }
        return text
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func everyGeneratedStringStaysInsideItsContext(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for round in 0..<500 {
            let value = PropertyTests.generate(&random)
            let result = try render(PropertyTests.template, ["v": .string(value)])
            let stripped = CommentStripper.strip(result)
            let parsed = try? JSONSerialization.jsonObject(with: Data(stripped.utf8)) as? [String: Any]
            let object = try #require(parsed, "seed \(seed) round \(round): output is not JSON for \(value.debugDescription):\n\(result)")
            #expect(object.count == 3, "seed \(seed) round \(round): keys changed for \(value.debugDescription)")
            #expect(object["value"] as? String == value, "seed \(seed) round \(round): value position for \(value.debugDescription)")
            #expect(object["inside"] as? String == "<" + value + ">", "seed \(seed) round \(round): string position for \(value.debugDescription)")
            #expect(object["json"] as? String == JSONEncoding.compactText(of: .string(value)), "seed \(seed) round \(round): json in string for \(value.debugDescription)")
        }
    }

    @Test func escapedValueNeverContainsUnicodeEscapesAboveFF() throws {
        var random = SplitMix64(seed: 99)
        for _ in 0..<300 {
            let value = PropertyTests.generate(&random)
            var output: [UInt8] = []
            JSONString.appendContent(value, to: &output)
            let text = String(decoding: output, as: UTF8.self)
            #expect(!text.contains("\\u01") && !text.contains("\\u2") && !text.contains("\\ud"), "\(value.debugDescription) -> \(text)")
        }
    }
}
