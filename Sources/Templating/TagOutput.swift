import Diagnostics

/// The output of one `{{ }}` tag as a host object writes a member into it (`TemplateObject.writeMember`): the
/// render's bytes and the tag's context, with the only ways in being the escaping that context needs. A value
/// from NetBox written here is data exactly as it would be as a `Value`: it cannot end a string or a comment.
public struct TagOutput {
    /// The render's whole output, lent to the object for the one write.
    var bytes: [UInt8]
    /// The escaping of the tag being written.
    var context: OutputContext

    /// A string: quoted and escaped in value position, escaped inside a string, neutralised in a comment.
    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(utf8: $0) }
    }

    /// An integer, in decimal.
    public mutating func write(_ number: Int) {
        JSONEncoding.appendDecimal(number, to: &bytes)
    }

    /// Text that `body` formats into a buffer of `maximumCount` bytes (returning how many it wrote), written as
    /// `write(_:)` writes a string with that text: an address or a MAC from its bits, without a `String`.
    public mutating func writeText(maximumCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        // A byte free on either side, so a value needing no escaping goes out with its quotes in one copy.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumCount + 2) { buffer in
            let count = min(max(body(UnsafeMutableBufferPointer(rebasing: buffer[1...maximumCount])), 0), maximumCount)
            if context == .value {
                JSONString.append(utf8Between: buffer, count: count, to: &bytes)
            } else {
                write(utf8: UnsafeBufferPointer(rebasing: buffer[1..<(count + 1)]))
            }
        }
    }

    private mutating func write(utf8 text: UnsafeBufferPointer<UInt8>) {
        switch context {
        case .value: JSONString.append(utf8: text, to: &bytes)
        case .string: JSONString.appendContent(utf8: text, to: &bytes)
        case .lineComment: Escaping.appendCommentText(utf8: text, blockComment: false, to: &bytes)
        case .blockComment: Escaping.appendCommentText(utf8: text, blockComment: true, to: &bytes)
        }
    }
}
