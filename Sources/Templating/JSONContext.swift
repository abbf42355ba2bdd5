/// Where literal template text leaves the output, in terms of the JSON-with-comments language Kea reads:
/// value position, inside a string, inside a `//`/`#` comment or a `/* */` comment. Tracked statically over the
/// template's own text (the html/template idea, smaller), so each `{{ }}` knows how to escape before any data
/// is seen, and data can never change the context.
struct JSONContext: Sendable {
    enum State: Sendable, Equatable {
        case value
        /// A `/` in value position: the next byte decides between a comment and nothing.
        case valueSlash
        case string
        /// Just after a backslash inside a string: the next byte is escaped.
        case stringEscape
        case lineComment
        case blockComment
        /// A `*` inside a block comment: a following `/` ends the comment.
        case blockCommentStar
    }

    /// Where the current string or comment began, to point at the opening quote in diagnostics.
    struct Mark: Sendable, Equatable {
        let path: String
        let offset: Int
    }

    private(set) var state: State = .value
    private(set) var opener: Mark?
    private var slashOffset = 0

    /// Same context for the purpose of the branch rule: where the text was opened does not matter.
    func sameState(as other: JSONContext) -> Bool { state == other.state }

    /// Consumes literal text `bytes[range]` from the file `path`.
    mutating func advance(over bytes: [UInt8], _ range: Range<Int>, path: String) {
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            switch state {
            case .value:
                switch byte {
                case UInt8(ascii: "\""):
                    state = .string
                    opener = Mark(path: path, offset: index)
                case UInt8(ascii: "/"):
                    state = .valueSlash
                    slashOffset = index
                case UInt8(ascii: "#"):
                    state = .lineComment
                    opener = Mark(path: path, offset: index)
                default: break
                }
            case .valueSlash:
                if byte == UInt8(ascii: "/") {
                    state = .lineComment
                    opener = Mark(path: path, offset: slashOffset)
                } else if byte == UInt8(ascii: "*") {
                    state = .blockComment
                    opener = Mark(path: path, offset: slashOffset)
                } else {
                    state = .value
                    continue  // the byte is ordinary value-position text: look at it again in that state
                }
            case .string:
                if byte == UInt8(ascii: "\\") {
                    state = .stringEscape
                } else if byte == UInt8(ascii: "\"") {
                    state = .value
                    opener = nil
                }
            case .stringEscape:
                state = .string
            case .lineComment:
                if byte == UInt8(ascii: "\n") {
                    state = .value
                    opener = nil
                }
            case .blockComment:
                if byte == UInt8(ascii: "*") { state = .blockCommentStar }
            case .blockCommentStar:
                if byte == UInt8(ascii: "/") {
                    state = .value
                    opener = nil
                } else if byte != UInt8(ascii: "*") {
                    state = .blockComment
                }
            }
            index += 1
        }
    }

    /// A `{{ }}` was written here. Its output never begins with `/` in value position (no JSON value does) and
    /// never completes `*/` in a comment (Escaping guards both ends), so pending one-byte states resolve.
    mutating func afterOutput() {
        switch state {
        case .valueSlash: state = .value
        case .blockCommentStar: state = .blockComment
        case .stringEscape: state = .string  // only after the error for a tag there; keeps later errors real
        default: break
        }
    }

    /// The escaping a `{{ }}` at this point needs; nil right after a backslash in a string, where any output
    /// would have its first byte swallowed by that escape.
    var outputContext: OutputContext? {
        switch state {
        case .value, .valueSlash: .value
        case .string: .string
        case .stringEscape: nil
        case .lineComment: .lineComment
        case .blockComment, .blockCommentStar: .blockComment
        }
    }

    /// "a JSON string", for messages.
    var describedState: String {
        switch state {
        case .value, .valueSlash: "JSON value position"
        case .string, .stringEscape: "a JSON string"
        case .lineComment: "a line comment"
        case .blockComment, .blockCommentStar: "a /* */ comment"
        }
    }

    var isOutside: Bool { state == .value || state == .valueSlash }
}

/// How a `{{ }}` is escaped; decided by the parser from the literal text around it.
enum OutputContext: Sendable, Equatable {
    case value
    case string
    case lineComment
    case blockComment
}
