/// What the lexer hands the parser: literal text (already trimmed by the whitespace rules) and the tokens inside
/// `{{ }}` / `{% %}` tags. Comments never become tokens. Every token carries its byte offset.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        /// Literal output, as a byte range of the source (JSON context tracking scans these bytes).
        case text(Range<Int>)
        case outputOpen
        case statementOpen
        case tagClose
        case name(String)
        case string(String)
        case int(Int)
        case symbol(String)
        /// The rest of this tag could not be lexed; the error is already reported, the parser skips the tag.
        case bad
        case end
    }

    let kind: Kind
    let offset: Int

    /// For messages: "found '}}'".
    var described: String {
        switch kind {
        case .text: "text"
        case .outputOpen: "'{{'"
        case .statementOpen: "'{%'"
        case .tagClose: "the end of the tag"
        case .name(let name): "'\(name)'"
        case .string(let text): "string \"\(text)\""
        case .int(let number): "'\(number)'"
        case .symbol(let symbol): "'\(symbol)'"
        case .bad: "an invalid token"
        case .end: "the end of the template"
        }
    }
}
