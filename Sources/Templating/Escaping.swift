import Diagnostics

/// Byte-level writers for the comment context (strings go through Diagnostics' JSONString). They scan UTF-8 bytes and copy unescaped runs whole, because a
/// config with 100,000 reservations passes millions of bytes through here.
enum Escaping {
    /// Comment text: every line break (and any other C0 control but tab, and U+0085/U+2028/U+2029) becomes a
    /// space so the value cannot end a `//` or `#` comment. In a block comment, `*/` is split and the text may
    /// neither start with `/` nor end with `*`, so no neighbouring literal `*` or `/` can complete a `*/`.
    static func appendCommentText(_ text: String, blockComment: Bool, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendCommentText(utf8: $0, blockComment: blockComment, to: &output) }
    }

    /// As `appendCommentText(_:blockComment:to:)`, for text held as UTF-8 bytes.
    static func appendCommentText(utf8 bytes: UnsafeBufferPointer<UInt8>, blockComment: Bool, to output: inout [UInt8]) {
        let space = UInt8(ascii: " ")
        let star = UInt8(ascii: "*")
        let slash = UInt8(ascii: "/")
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
