import Diagnostics
import Testing

/// The JSON string writer looks at eight bytes at a time; every byte that needs escaping must be found wherever it
/// sits in a word, in the overlapping last word, or in a text shorter than a word.
@Suite struct JSONStringWordScanTests {
    /// One byte at a time, the rule as RFC 8259 states it: the reference the word scan must agree with.
    static func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        let hex = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0x08: out += Array(#"\b"#.utf8)
            case 0x0C: out += Array(#"\f"#.utf8)
            case ..<0x20: out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        return out + [UInt8(ascii: "\"")]
    }

    static let specials: [UInt8] = [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x00, 0x01, 0x0A, 0x1F]
    /// Bytes next to the special ones in value (0x20, 0x21, 0x23, 0x5B, 0x5D) and beyond ASCII, which stay as they are.
    static let plain: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, UInt8(ascii: "a"), 0x7F, 0x80, 0xC3, 0xFF]

    @Test func everySpecialByteIsEscapedAtEveryPositionOfEveryLength() {
        for length in 0...25 {
            for filler in Self.plain {
                var text = [UInt8](repeating: filler, count: length)
                #expect(Self.written(text) == Self.reference(text))
                for position in 0..<length {
                    for special in Self.specials {
                        text[position] = special
                        #expect(Self.written(text) == Self.reference(text), "length \(length), \(special) at \(position)")
                        text[position] = filler
                    }
                }
            }
        }
    }

    @Test func textBetweenFreeBytesIsWrittenAsTheSameString() {
        for text in [Array("02:00:00:00:00:0a".utf8), Array("192.0.2.1".utf8), Array("a\"b".utf8), [], [0x01],
                     Array("12345678\\".utf8)] {
            var buffer = [UInt8](repeating: 0xEE, count: text.count + 2)
            buffer.replaceSubrange(1..<(text.count + 1), with: text)
            var output: [UInt8] = [UInt8(ascii: "x")]
            buffer.withUnsafeMutableBufferPointer { JSONString.append(utf8Between: $0, count: text.count, to: &output) }
            #expect(output == [UInt8(ascii: "x")] + Self.reference(text))
        }
    }

    static func written(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        bytes.withUnsafeBufferPointer { JSONString.append(utf8: $0, to: &output) }
        return output
    }
}
