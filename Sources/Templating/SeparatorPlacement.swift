/// Where a `for … sep` separator goes, decided once from the loop body's own text where the template fixes it, so
/// the renderer does not scan back over each item's output (Renderer.writeSeparator is the rule).
///
/// A one-line separator goes before the blanks that end an item, unless the item's last line may hold a comment.
/// When the body ends in literal text with something visible in it, the number of those blanks is known, and so
/// is the last line: literal text, plus values written as JSON or as string content, which can neither open a
/// comment nor end a string. Only when that line began before the item does the renderer need a one-byte look at
/// the output: whether the item starts a line.
enum SeparatorPlacement: Sendable, Equatable {
    /// Append the separator at the end of the item.
    case atEnd
    /// Insert it this many bytes before the end of the item.
    case beforeTrailingBlanks(Int)
    /// As `beforeTrailingBlanks` when the item starts a line (its last line is then all in the body); else scan.
    case beforeTrailingBlanksIfItemStartsLine(Int, lineMayHoldComment: Bool)
    /// Decide from the output (the body ends in a tag, or its last line holds raw or comment output).
    case scan

    init(separator: String?, body: [Node]) {
        guard let separator, !separator.utf8.contains(UInt8(ascii: "\n")) else {
            self = .atEnd
            return
        }
        guard case .text(let last, _)? = body.last else {
            self = .scan
            return
        }
        let tail = Array(last.utf8)
        let blanks = tail.reversed().prefix { Renderer.isBlank($0) }.count
        guard blanks < tail.count else {
            self = .scan
            return
        }
        guard blanks > 0 else {
            self = .atEnd
            return
        }
        // The last line, from the end of the text node back to a line break, standing in neutral bytes for values.
        var line = Array(tail[..<(tail.count - blanks)])
        if let newline = line.lastIndex(of: UInt8(ascii: "\n")) {
            line = Array(line[(newline + 1)...])
            self = Renderer.lineMayHoldComment(line, endingAt: line.count) ? .atEnd : .beforeTrailingBlanks(blanks)
            return
        }
        for node in body.dropLast().reversed() {
            switch node {
            case .text(let text, _):
                let bytes = Array(text.utf8)
                if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) {
                    line = Array(bytes[(newline + 1)...]) + line
                    self = Renderer.lineMayHoldComment(line, endingAt: line.count) ? .atEnd : .beforeTrailingBlanks(blanks)
                    return
                }
                line = bytes + line
            case .output(let output) where output.mode != .raw && output.context == .value:
                line = [UInt8(ascii: "0")] + line
            case .output(let output) where output.mode != .raw && output.context == .string:
                line = [UInt8(ascii: "x")] + line
            default:
                self = .scan
                return
            }
        }
        self = .beforeTrailingBlanksIfItemStartsLine(blanks, lineMayHoldComment: Renderer.lineMayHoldComment(line, endingAt: line.count))
    }
}
