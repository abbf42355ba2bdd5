import Diagnostics
/// Splits a template into literal text and tag tokens, and applies every whitespace rule (lines holding only a
/// statement or comment tag vanish; `-` markers trim), so the parser and renderer never see whitespace rules.
struct Lexer {
    private enum TagKind {
        case output, statement, comment
        /// `{% raw %}` or `{% endraw %}`: no tokens, but whitespace rules apply as to any statement tag.
        case verbatim
        /// The backslash of a literal `\{%`: dropped from the output, no tokens, never removes a line.
        case literalMarker

        var producesTokens: Bool { self == .output || self == .statement }
        /// A line holding only such tags (and blanks) vanishes.
        var vanishesAlone: Bool { self == .statement || self == .comment || self == .verbatim }
    }

    private struct Tag {
        let kind: TagKind
        let start: Int
        let innerStart: Int
        let innerEnd: Int
        let closeOffset: Int
        let trimLeft: Bool
        let trimRight: Bool
        /// False when the tag's string was unterminated: the error is reported and its inside is not lexed.
        let lexable: Bool
        /// The opener stood inside a JSON string, where a failure most likely means a literal `{%` was meant.
        var inString = false
    }

    let source: SourceText
    private var bytes: [UInt8] { source.bytes }
    private(set) var diagnostics: [Diagnostic] = []
    /// The JSON context of the literal text read so far, in source order; only to word errors (a `{%` that
    /// fails inside a string was most likely meant literally). The parser tracks the real context.
    private var json: JSONContext
    private var jsonScanned = 0

    init(source: SourceText, startingIn context: JSONContext = JSONContext()) {
        self.source = source
        self.json = context
    }

    mutating func tokenize() -> [Token] {
        var (texts, tags) = scanPieces()
        removeTagOnlyLines(texts: &texts, tags: tags)
        applyTrimMarkers(texts: &texts, tags: tags)
        var tokens: [Token] = []
        for (index, tag) in tags.enumerated() {
            if !texts[index].isEmpty { tokens.append(Token(kind: .text(texts[index]), offset: texts[index].lowerBound)) }
            guard tag.kind.producesTokens else { continue }
            tokens.append(Token(kind: tag.kind == .output ? .outputOpen : .statementOpen, offset: tag.start))
            if tag.lexable {
                let reported = diagnostics.count
                lexInside(tag, into: &tokens)
                if tag.inString, diagnostics.count > reported {
                    let reason = diagnostics[reported].message
                    diagnostics.removeSubrange(reported...)
                    diagnostics.append(Lexer.literalHint(in: source, source.slice(tag.start, tag.start + 2), at: tag.start, because: reason))
                }
            } else {
                tokens.append(Token(kind: .bad, offset: tag.innerStart))
            }
            tokens.append(Token(kind: .tagClose, offset: tag.closeOffset))
        }
        if let last = texts.last, !last.isEmpty { tokens.append(Token(kind: .text(last), offset: last.lowerBound)) }
        tokens.append(Token(kind: .end, offset: bytes.count))
        return tokens
    }

    // MARK: - Finding tags

    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")
    private static let percent = UInt8(ascii: "%")
    private static let hash = UInt8(ascii: "#")
    private static let dash = UInt8(ascii: "-")
    private static let backslash = UInt8(ascii: "\\")

    /// Static and given the bytes: called for every byte of the template, it must not copy the lexer.
    private static func opensTag(_ bytes: [UInt8], at index: Int) -> Bool {
        index + 1 < bytes.count && bytes[index] == Lexer.openBrace
            && (bytes[index + 1] == Lexer.openBrace || bytes[index + 1] == Lexer.percent || bytes[index + 1] == Lexer.hash)
    }

    private mutating func trackJSON(upTo end: Int) {
        guard end > jsonScanned else { return }
        json.advance(over: bytes, jsonScanned..<end, path: source.path)
        jsonScanned = end
    }

    /// Literal texts and tags, alternating: texts.count == tags.count + 1.
    private mutating func scanPieces() -> ([Range<Int>], [Tag]) {
        var texts: [Range<Int>] = []
        var tags: [Tag] = []
        var textStart = 0
        var index = 0
        let bytes = source.bytes
        let count = bytes.count
        while index + 1 < count {
            guard Lexer.opensTag(bytes, at: index) else {
                index += 1
                continue
            }
            let start = index
            let opener = source.slice(start, start + 2)
            // An odd run of backslashes makes the opener literal text and loses its last backslash. Inside a JSON
            // string that spelling cannot mean anything else: Kea has no `\{` escape. An even run is a run of
            // escaped backslashes, and the tag is real.
            var backslashes = 0
            while start - backslashes - 1 >= textStart, bytes[start - backslashes - 1] == Lexer.backslash { backslashes += 1 }
            if backslashes % 2 == 1 {
                trackJSON(upTo: start - 1)
                jsonScanned = start
                texts.append(textStart..<start - 1)
                tags.append(Tag(kind: .literalMarker, start: start - 1, innerStart: start, innerEnd: start, closeOffset: start,
                                trimLeft: false, trimRight: false, lexable: false))
                textStart = start
                index = start + 2
                continue
            }
            trackJSON(upTo: start)
            // A string opened by the including file may hold real tags (an include inside a string).
            let inString = json.state == .string && json.opener?.path == source.path
            let kind: TagKind = bytes[index + 1] == Lexer.openBrace ? .output : (bytes[index + 1] == Lexer.percent ? .statement : .comment)
            var innerStart = index + 2
            let trimLeft = innerStart < count && bytes[innerStart] == Lexer.dash
            if trimLeft { innerStart += 1 }
            let found = findClose(kind: kind, from: innerStart, tagStart: start)
            switch found {
            case .closed(let closeStart, let failure):
                if let failure {
                    if inString {
                        // Most likely a literal `{%` (a Kea logger pattern): say so, and read it as text so the
                        // string's own closing quote still closes it.
                        diagnostics.append(Lexer.literalHint(in: source, opener, at: start, because: failure.message))
                        index = start + 2
                        continue
                    }
                    diagnostics.append(source.diagnostic(.error, failure.message, at: failure.offset))
                }
                var innerEnd = closeStart
                let trimRight = innerEnd > innerStart && bytes[innerEnd - 1] == Lexer.dash
                if trimRight { innerEnd -= 1 }
                texts.append(textStart..<start)
                var tag = Tag(kind: kind, start: start, innerStart: innerStart, innerEnd: innerEnd,
                              closeOffset: closeStart, trimLeft: trimLeft, trimRight: trimRight, lexable: failure == nil)
                tag.inString = inString
                if kind == .output { json.afterOutput() }
                index = closeStart + 2
                textStart = index
                jsonScanned = index
                if kind == .statement, failure == nil, isKeyword("raw", innerStart..<innerEnd) {
                    tag = Tag(kind: .verbatim, start: start, innerStart: innerStart, innerEnd: innerEnd, closeOffset: closeStart,
                              trimLeft: trimLeft, trimRight: trimRight, lexable: true)
                    tags.append(tag)
                    let end = findEndRaw(from: index)
                    guard let end else {
                        diagnostics.append(source.diagnostic(.error, "'{% raw %}' is not closed: expected '{% endraw %}' before the end of the file", at: start))
                        texts.append(index..<count)
                        return (texts, tags)
                    }
                    // The verbatim text is output like any other text: the JSON context runs through it.
                    texts.append(index..<end.start)
                    trackJSON(upTo: end.start)
                    tags.append(end)
                    index = end.closeOffset + 2
                    textStart = index
                    jsonScanned = index
                    continue
                }
                tags.append(tag)
            case .abandoned(let resumeAt, let failure):
                if inString {
                    diagnostics.append(Lexer.literalHint(in: source, opener, at: start, because: failure.message))
                    index = start + 2
                    continue
                }
                diagnostics.append(source.diagnostic(.error, failure.message, at: failure.offset))
                // Unterminated: reported where it starts; the text up to the next tag is dropped.
                texts.append(textStart..<start)
                tags.append(Tag(kind: .comment, start: start, innerStart: start, innerEnd: start, closeOffset: start,
                                trimLeft: false, trimRight: false, lexable: false))
                index = resumeAt
                textStart = resumeAt
                jsonScanned = resumeAt
            }
        }
        texts.append(min(textStart, count)..<count)
        return (texts, tags)
    }

    /// The error for a `{%`, `{{` or `{#` inside a JSON string that does not start a valid tag, at the opener.
    static func literalHint(in source: SourceText, _ opener: String, at offset: Int, because reason: String) -> Diagnostic {
        source.diagnostic(.error, "'\(opener)' inside a JSON string opens a template tag, and that tag is invalid (\(reason)); to write '\(opener)' literally, write '\\\(opener)' (or put the text between '{% raw %}' and '{% endraw %}')", at: offset)
    }

    /// True when the bytes hold exactly `word` between blanks.
    private func isKeyword(_ word: String, _ range: Range<Int>) -> Bool {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isBlank(bytes[lower]) || bytes[lower] == 0x0A { lower += 1 }
        while upper > lower, isBlank(bytes[upper - 1]) || bytes[upper - 1] == 0x0A { upper -= 1 }
        return Array(bytes[lower..<upper]) == Array(word.utf8)
    }

    /// The first `{% endraw %}` (trim markers allowed) at or after `from`; nothing in between is a tag.
    private func findEndRaw(from: Int) -> Tag? {
        var index = from
        while index + 1 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == Lexer.openBrace, bytes[index + 1] == Lexer.percent else { continue }
            var innerStart = index + 2
            let trimLeft = innerStart < bytes.count && bytes[innerStart] == Lexer.dash
            if trimLeft { innerStart += 1 }
            var close = innerStart
            while close + 1 < bytes.count, close - innerStart < 64,
                  !(bytes[close] == Lexer.percent && bytes[close + 1] == Lexer.closeBrace) { close += 1 }
            guard close + 1 < bytes.count, bytes[close] == Lexer.percent, bytes[close + 1] == Lexer.closeBrace else { continue }
            var innerEnd = close
            let trimRight = innerEnd > innerStart && bytes[innerEnd - 1] == Lexer.dash
            if trimRight { innerEnd -= 1 }
            guard isKeyword("endraw", innerStart..<innerEnd) else { continue }
            return Tag(kind: .verbatim, start: index, innerStart: innerStart, innerEnd: innerEnd, closeOffset: close,
                       trimLeft: trimLeft, trimRight: trimRight, lexable: true)
        }
        return nil
    }

    private struct Failure {
        let message: String
        let offset: Int
    }

    private enum CloseSearch {
        /// With a failure, the tag's inside holds an unterminated string and is not lexed.
        case closed(closeStart: Int, failure: Failure?)
        case abandoned(resumeAt: Int, failure: Failure)
    }

    private func findClose(kind: TagKind, from start: Int, tagStart: Int) -> CloseSearch {
        let bytes = source.bytes
        let count = bytes.count
        let closer: UInt8 = kind == .output ? Lexer.closeBrace : (kind == .statement ? Lexer.percent : Lexer.hash)
        let opener = kind == .output ? "{{" : (kind == .statement ? "{%" : "{#")
        let closerText = kind == .output ? "}}" : (kind == .statement ? "%}" : "#}")
        var index = start
        while index + 1 < count || (index < count && kind != .comment) {
            let byte = bytes[index]
            if byte == closer, index + 1 < count, bytes[index + 1] == Lexer.closeBrace {
                return .closed(closeStart: index, failure: nil)
            }
            if kind != .comment {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    if let after = endOfQuoted(from: index) {
                        index = after
                        continue
                    }
                    let failure = Failure(message: "unterminated string literal", offset: index)
                    // Recover at this tag's closer if there is one on the same line, else at the next line.
                    var probe = index + 1
                    while probe + 1 < count, bytes[probe] != UInt8(ascii: "\n") {
                        if bytes[probe] == closer, bytes[probe + 1] == Lexer.closeBrace {
                            return .closed(closeStart: probe, failure: failure)
                        }
                        probe += 1
                    }
                    return .abandoned(resumeAt: min(count, probe + 1), failure: failure)
                }
                if Lexer.opensTag(bytes, at: index) {
                    return .abandoned(resumeAt: index, failure: Failure(
                        message: "unterminated '\(opener)' tag: expected '\(closerText)' before the next tag", offset: tagStart))
                }
            }
            index += 1
        }
        let what = kind == .comment ? "comment '{#'" : "'\(opener)' tag"
        return .abandoned(resumeAt: count, failure: Failure(
            message: "unterminated \(what): no '\(closerText)' before the end of the file", offset: tagStart))
    }

    /// Index after the closing quote of the literal starting at `start`, or nil when the line ends first.
    private func endOfQuoted(from start: Int) -> Int? {
        let quote = bytes[start]
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote { return index + 1 }
            if byte == UInt8(ascii: "\n") { return nil }
            index += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        return nil
    }

    // MARK: - Whitespace

    private func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private func allBlank(_ range: Range<Int>) -> Bool {
        range.allSatisfy { isBlank(bytes[$0]) }
    }

    /// A line holding only statement/comment tags and blanks is removed with its line break.
    private func removeTagOnlyLines(texts: inout [Range<Int>], tags: [Tag]) {
        guard !tags.isEmpty else { return }
        let newline = UInt8(ascii: "\n")
        var startsLine = [Bool](repeating: false, count: texts.count)
        startsLine[0] = true
        var tagIndex = 0
        while tagIndex < tags.count {
            let before = texts[tagIndex]
            let lineStart: Int
            if let lastBreak = before.last(where: { bytes[$0] == newline }) {
                lineStart = lastBreak + 1
            } else if startsLine[tagIndex] {
                lineStart = before.lowerBound
            } else {
                tagIndex += 1
                continue
            }
            guard allBlank(lineStart..<before.upperBound) else {
                tagIndex += 1
                continue
            }
            var last = tagIndex
            var cut: Int?
            while tags[last].kind.vanishesAlone {
                let after = texts[last + 1]
                if let firstBreak = after.first(where: { bytes[$0] == newline }) {
                    if allBlank(after.lowerBound..<firstBreak) { cut = firstBreak + 1 }
                    break
                }
                guard allBlank(after) else { break }
                if last + 1 == texts.count - 1 {
                    cut = after.upperBound
                    break
                }
                last += 1
            }
            guard let cut else {
                tagIndex += 1
                continue
            }
            texts[tagIndex] = before.lowerBound..<lineStart
            if last > tagIndex {
                for index in (tagIndex + 1)...last { texts[index] = texts[index].lowerBound..<texts[index].lowerBound }
            }
            texts[last + 1] = cut..<texts[last + 1].upperBound
            startsLine[last + 1] = true
            tagIndex = last + 1
        }
    }

    private func applyTrimMarkers(texts: inout [Range<Int>], tags: [Tag]) {
        let whitespace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        for (index, tag) in tags.enumerated() {
            if tag.trimLeft {
                var upper = texts[index].upperBound
                while upper > texts[index].lowerBound, whitespace(bytes[upper - 1]) { upper -= 1 }
                texts[index] = texts[index].lowerBound..<upper
            }
            if tag.trimRight {
                var lower = texts[index + 1].lowerBound
                while lower < texts[index + 1].upperBound, whitespace(bytes[lower]) { lower += 1 }
                texts[index + 1] = lower..<texts[index + 1].upperBound
            }
        }
    }

    // MARK: - Inside a tag

    private static let twoCharacterSymbols: Set<String> = ["==", "!=", "<=", ">="]
    private static let oneCharacterSymbols: Set<UInt8> = Set("()[]{},.|=<>-:".utf8)

    private mutating func lexInside(_ tag: Tag, into tokens: inout [Token]) {
        var index = tag.innerStart
        let end = tag.innerEnd
        while index < end {
            let byte = bytes[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                let start = index
                while index < end, isNameByte(bytes[index]) { index += 1 }
                tokens.append(Token(kind: .name(source.slice(start, index)), offset: start))
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                if index < end, isNameByte(bytes[index]) {
                    diagnostics.append(source.diagnostic(.error, "invalid number '\(source.slice(start, index + 1))'", at: start))
                    tokens.append(Token(kind: .bad, offset: start))
                    return
                }
                guard let number = Int(source.slice(start, index)) else {
                    diagnostics.append(source.diagnostic(.error, "integer literal too large", at: start))
                    tokens.append(Token(kind: .bad, offset: start))
                    return
                }
                tokens.append(Token(kind: .int(number), offset: start))
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let (text, after) = lexString(from: index, end: end) else {
                    tokens.append(Token(kind: .bad, offset: index))
                    return
                }
                tokens.append(Token(kind: .string(text), offset: index))
                index = after
            default:
                if index + 1 < end {
                    let pair = source.slice(index, index + 2)
                    if Lexer.twoCharacterSymbols.contains(pair) {
                        tokens.append(Token(kind: .symbol(pair), offset: index))
                        index += 2
                        continue
                    }
                }
                if Lexer.oneCharacterSymbols.contains(byte) {
                    tokens.append(Token(kind: .symbol(String(UnicodeScalar(byte))), offset: index))
                    index += 1
                    continue
                }
                let length = byte < 0x80 ? 1 : (byte >= 0xF0 ? 4 : (byte >= 0xE0 ? 3 : 2))
                let character = source.slice(index, min(end, index + length))
                diagnostics.append(source.diagnostic(.error, "unexpected character '\(character)' in tag", at: index))
                tokens.append(Token(kind: .bad, offset: index))
                return
            }
        }
    }

    private func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    /// A quoted literal with escapes \n \t \r \\ \" \' \/ \uXXXX; nil (error reported) when malformed.
    private mutating func lexString(from start: Int, end: Int) -> (String, Int)? {
        let quote = bytes[start]
        var scalars = String.UnicodeScalarView()
        var runStart = start + 1
        var index = start + 1
        var text = ""
        while index < end {
            let byte = bytes[index]
            if byte == quote {
                text += source.slice(runStart, index)
                return (text, index + 1)
            }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            text += source.slice(runStart, index)
            guard index + 1 < end else { break }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): text += "\n"
            case UInt8(ascii: "t"): text += "\t"
            case UInt8(ascii: "r"): text += "\r"
            case UInt8(ascii: "\\"): text += "\\"
            case UInt8(ascii: "\""): text += "\""
            case UInt8(ascii: "'"): text += "'"
            case UInt8(ascii: "/"): text += "/"
            case UInt8(ascii: "u"):
                guard index + 4 <= end, let code = UInt32(source.slice(index, index + 4), radix: 16),
                      let scalar = Unicode.Scalar(code) else {
                    diagnostics.append(source.diagnostic(.error, "invalid \\u escape: expected four hex digits of a Unicode scalar", at: index - 2))
                    return nil
                }
                scalars.removeAll()
                scalars.append(scalar)
                text += String(scalars)
                index += 4
            default:
                diagnostics.append(source.diagnostic(.error, "unknown escape '\\\(String(UnicodeScalar(escaped)))' in string literal", at: index - 2))
                return nil
            }
            runStart = index
        }
        diagnostics.append(source.diagnostic(.error, "unterminated string literal", at: start))
        return nil
    }
}
