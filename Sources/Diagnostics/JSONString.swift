/// The one JSON string writer (RFC 8259): only `"`, `\` and C0 controls are escaped; everything else, non-ASCII
/// included, stays raw UTF-8 because Kea rejects `\u` escapes above `\u00ff` and reads `\u0080`–`\u00ff` as single
/// bytes. Used for rendered values, snapshots, messages that quote outside data, and machine-readable output.
/// It scans UTF-8 bytes and copies unescaped runs whole: a config with 100,000 reservations passes millions of
/// bytes through here.
public enum JSONString {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The escaped content, without quotes (for text inside a JSON string literal).
    public static func appendContent(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendContent(utf8: $0, to: &output) }
    }

    /// As `appendContent(_:to:)`, for text held as UTF-8 bytes (an address formatted into a buffer).
    public static func appendContent(utf8 bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        if needsNoEscaping(bytes) {
            output.append(contentsOf: bytes)
            return
        }
        var runStart = 0
        var index = firstEscaped(in: bytes)
        while index < bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            runStart = index + 1
            index += 1
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
        // Runs are appended as buffers (one copy), not as slices (element by element).
        if runStart < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
    }

    /// Where the first byte that may need escaping is, looked for eight bytes at a time: almost every value from
    /// NetBox (names, MACs, addresses) needs none, and is then copied in one piece. Before the returned position no
    /// byte needs escaping; from it on the caller looks at each byte.
    private static func firstEscaped(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var index = 0
        while index + 8 <= bytes.count {
            if mayNeedEscaping(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) { return index }
            index += 8
        }
        return index
    }

    /// Whether no byte needs escaping, decided a word at a time where the text has eight bytes or more (the last
    /// word overlapping the one before it), so a name or a MAC costs two or three word tests.
    private static func needsNoEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, bytes.count >= 8 else {
            return !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        }
        var index = 0
        while index + 8 < bytes.count {
            if mayNeedEscaping(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) { return false }
            index += 8
        }
        return !mayNeedEscaping(UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self))
    }

    /// Whether one of the word's bytes is below 0x20, `"` or `\`: each such byte sets its high bit in the mask (a
    /// byte equal to a wanted one is zero after the xor); bytes of 0x80 and above (UTF-8 beyond ASCII) never do,
    /// as `~word` clears it.
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let control = (word &- ones &* 0x20) & ~word
        let quote = ((word ^ (ones &* 0x22)) &- ones) & ~(word ^ (ones &* 0x22))
        let backslash = ((word ^ (ones &* 0x5C)) &- ones) & ~(word ^ (ones &* 0x5C))
        return (control | quote | backslash) & 0x8080_8080_8080_8080 != 0
    }

    /// The quoted string.
    public static func append(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        appendContent(text, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// As `append(_:to:)`, for text held as UTF-8 bytes.
    public static func append(utf8 bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        appendContent(utf8: bytes, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// As `append(utf8:to:)` for the `count` bytes of text at `buffer[1...]`, with a byte free before and after them
    /// where the quotes go, so text with nothing to escape is copied once, quotes and all.
    public static func append(utf8Between buffer: UnsafeMutableBufferPointer<UInt8>, count: Int, to output: inout [UInt8]) {
        let text = UnsafeBufferPointer(rebasing: buffer[1..<(count + 1)])
        guard needsNoEscaping(text) else {
            append(utf8: text, to: &output)
            return
        }
        buffer[0] = UInt8(ascii: "\"")
        buffer[count + 1] = UInt8(ascii: "\"")
        output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<(count + 2)]))
    }

    /// The quoted string as text (`"evil\", x"`), for messages and small documents.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
