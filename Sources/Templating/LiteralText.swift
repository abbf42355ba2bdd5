/// Turns any text into template text that renders back to exactly that text: every `{{`, `{%` and `{#` gets the
/// literal backslash (the lexer's rule: an odd run of backslashes before an opener makes it text and loses one).
/// An opener already after an odd run of backslashes (`\{%` in a comment) cannot be spelled that way and goes
/// into a `{% raw %}` block.
public enum LiteralText {
    public static func escaped(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var backslashes = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{"), index + 1 < bytes.count,
               [UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "#")].contains(bytes[index + 1]) {
                if backslashes % 2 == 0 {
                    out.append(UInt8(ascii: "\\"))
                    out.append(contentsOf: bytes[index...index + 1])
                } else {
                    out.removeLast()
                    out.append(contentsOf: "{% raw %}\\".utf8)
                    out.append(contentsOf: bytes[index...index + 1])
                    out.append(contentsOf: "{% endraw %}".utf8)
                }
                index += 2
                backslashes = 0
                continue
            }
            backslashes = byte == UInt8(ascii: "\\") ? backslashes + 1 : 0
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
