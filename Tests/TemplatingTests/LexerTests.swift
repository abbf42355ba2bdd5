import Testing
@testable import Templating

@Suite struct LexerTests {
    private func kinds(_ text: String) -> [Token.Kind] {
        var lexer = Lexer(source: SourceText(path: "t", text: text))
        return lexer.tokenize().map(\.kind)
    }

    private func lexErrors(_ text: String) -> [String] {
        var lexer = Lexer(source: SourceText(path: "t", text: text))
        _ = lexer.tokenize()
        return located(lexer.diagnostics)
    }

    @Test func textAndOutputTag() {
        #expect(kinds("a{{ x }}b") == [.text(0..<1), .outputOpen, .name("x"), .tagClose, .text(8..<9), .end])
    }

    @Test func commentProducesNoTokens() {
        #expect(kinds("a{# x #}b") == [.text(0..<1), .text(8..<9), .end])
    }

    @Test func tokenOffsetsAreByteOffsets() {
        var lexer = Lexer(source: SourceText(path: "t", text: "é{{ x }}"))
        let offsets = lexer.tokenize().map(\.offset)
        #expect(offsets == [0, 2, 5, 7, 9])
    }

    @Test func symbolsAndOperators() {
        #expect(kinds("{{ a == b != c <= d >= e < f > g | h(i, j=k) [1] . - }}").dropFirst().dropLast(2).map { $0 } == [
            .name("a"), .symbol("=="), .name("b"), .symbol("!="), .name("c"), .symbol("<="), .name("d"), .symbol(">="),
            .name("e"), .symbol("<"), .name("f"), .symbol(">"), .name("g"), .symbol("|"), .name("h"), .symbol("("),
            .name("i"), .symbol(","), .name("j"), .symbol("="), .name("k"), .symbol(")"), .symbol("["), .int(1),
            .symbol("]"), .symbol("."), .symbol("-"),
        ])
    }

    @Test func stringLiteralEscapes() {
        #expect(kinds(#"{{ "a\"b\\c\n\u00e9" 'it\'s' }}"#) == [
            .outputOpen, .string("a\"b\\c\né"), .string("it's"), .tagClose, .end,
        ])
    }

    @Test func closingDelimiterInsideStringDoesNotCloseTag() {
        #expect(kinds(#"{{ "}}" }}"#) == [.outputOpen, .string("}}"), .tagClose, .end])
    }

    @Test func unterminatedStringReportedAtQuote() {
        #expect(lexErrors("x\n{{ \"abc }}\n") == ["t:2:4: unterminated string literal"])
    }

    @Test func unterminatedTagReportedAtItsStart() {
        #expect(lexErrors("ab\n  {{ x \n") == ["t:2:3: unterminated '{{' tag: no '}}' before the end of the file"])
    }

    @Test func unterminatedCommentReportedAtItsStart() {
        #expect(lexErrors("{\n {# note\n}") == ["t:2:2: unterminated comment '{#': no '#}' before the end of the file"])
    }

    @Test func tagOpenedInsideAnUnclosedTagIsReported() {
        #expect(lexErrors("{{ x \n{{ y }}") == ["t:1:1: unterminated '{{' tag: expected '}}' before the next tag"])
    }

    @Test func unexpectedCharacter() {
        #expect(lexErrors("{{ a ; b }}") == ["t:1:6: unexpected character ';' in tag"])
    }

    @Test func unexpectedNonASCIICharacterIsNamedWhole() {
        #expect(lexErrors("{{ a → b }}") == ["t:1:6: unexpected character '→' in tag"])
    }

    @Test func integerTooLarge() {
        #expect(lexErrors("{{ 99999999999999999999 }}") == ["t:1:4: integer literal too large"])
    }

    @Test func unknownEscapeInStringLiteral() {
        #expect(lexErrors(#"{{ "a\qb" }}"#) == [#"t:1:6: unknown escape '\q' in string literal"#])
    }

    @Test func trimMarkersAreNotPartOfTheTag() {
        #expect(kinds("a {{- x -}} b") == [.text(0..<1), .outputOpen, .name("x"), .tagClose, .text(12..<13), .end])
    }
}
