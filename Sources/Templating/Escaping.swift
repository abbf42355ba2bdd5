/// Byte-level writers for each output context. They scan UTF-8 bytes and copy unescaped runs whole, because a
/// config with 100,000 reservations passes millions of bytes through here.
enum Escaping {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// String content per RFC 8259: only `"`, `\` and C0 controls are escaped. Everything else, non-ASCII
    /// included, stays raw UTF-8 because Kea rejects `\u` escapes above `\u00ff`.
    static func appendJSONStringContent(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { output.append(contentsOf: bytes[runStart..<index]) }
                runStart = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                default:
                    output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                               hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                }
            }
            if runStart < bytes.count { output.append(contentsOf: bytes[runStart..<bytes.count]) }
        }
    }

    static func appendJSONString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        appendJSONStringContent(text, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Comment text: every line break (and any other C0 control but tab, and U+0085/U+2028/U+2029) becomes a
    /// space so the value cannot end a `//` or `#` comment. In a block comment, `*/` is split and the text may
    /// neither start with `/` nor end with `*`, so no neighbouring literal `*` or `/` can complete a `*/`.
    static func appendCommentText(_ text: String, blockComment: Bool, to output: inout [UInt8]) {
        let space = UInt8(ascii: " ")
        let star = UInt8(ascii: "*")
        let slash = UInt8(ascii: "/")
        var text = text
        text.withUTF8 { bytes in
            if blockComment, bytes.first == slash { output.append(space) }
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x20, byte != 0x09 {
                    output.append(space)
                } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0x85 {
                    output.append(space)
                    index += 1
                } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80,
                          bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                    output.append(space)
                    index += 2
                } else if blockComment, byte == star, index + 1 < bytes.count, bytes[index + 1] == slash {
                    output.append(star)
                    output.append(space)
                } else {
                    output.append(byte)
                }
                index += 1
            }
            if blockComment, bytes.last == star { output.append(space) }
        }
    }
}
