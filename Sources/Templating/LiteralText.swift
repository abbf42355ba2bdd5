/// Turns any text into template text that renders back to exactly that text: every `{{`, `{%` and `{#` gets the
/// literal backslash (the lexer's rule: an odd run of backslashes before an opener makes it text and loses one).
/// An opener that already follows an odd run of backslashes (`\{%` in a comment) cannot be spelled that way; the
/// whole run of `{ % # \` characters around it goes into a `{% raw %}` block, whose own braces then touch no other
/// brace or backslash.
public enum LiteralText {
    public static func escaped(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let verbatim = verbatimRuns(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var index = 0
        var run = 0
        while index < bytes.count {
            if run < verbatim.count, verbatim[run].lowerBound == index {
                out.append(contentsOf: "{% raw %}".utf8)
                out.append(contentsOf: bytes[verbatim[run]])
                out.append(contentsOf: "{% endraw %}".utf8)
                index = verbatim[run].upperBound
                run += 1
                continue
            }
            if opensTag(bytes, at: index) {
                out.append(backslash)
                out.append(contentsOf: bytes[index...index + 1])
                index += 2
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let tagCharacters: Set<UInt8> = Set("{%#\\".utf8)

    private static func opensTag(_ bytes: [UInt8], at index: Int) -> Bool {
        index + 1 < bytes.count && bytes[index] == UInt8(ascii: "{")
            && [UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "#")].contains(bytes[index + 1])
    }

    /// The maximal runs of `{ % # \` that hold an opener after an odd run of backslashes, in order. Openers are
    /// found as the lexer finds them: left to right, each taking two bytes.
    private static func verbatimRuns(_ bytes: [UInt8]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var index = 0
        var backslashes = 0
        while index < bytes.count {
            if opensTag(bytes, at: index) {
                if backslashes % 2 == 1 {
                    var lower = index
                    while lower > 0, tagCharacters.contains(bytes[lower - 1]) { lower -= 1 }
                    var upper = index + 2
                    while upper < bytes.count, tagCharacters.contains(bytes[upper]) { upper += 1 }
                    if let last = runs.last, last.upperBound >= lower {
                        runs[runs.count - 1] = last.lowerBound..<upper
                    } else {
                        runs.append(lower..<upper)
                    }
                }
                index += 2
                backslashes = 0
                continue
            }
            backslashes = bytes[index] == backslash ? backslashes + 1 : 0
            index += 1
        }
        return runs
    }
}
