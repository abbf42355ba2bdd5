import Testing
@testable import Templating

@Suite struct SuggestionTests {
    @Test func transpositionIsOneEdit() {
        #expect(Suggestion.closest(to: "endfro", among: ["endfor", "endif"]) == "endfor")
    }

    @Test func abbreviationSuggestsTheFullName() {
        #expect(Suggestion.closest(to: "attr", among: ["attribute", "reverse"]) == "attribute")
    }

    @Test func unrelatedWordsGetNoSuggestion() {
        #expect(Suggestion.closest(to: "zebra", among: ["for", "if", "include"]) == nil)
    }

    @Test func shortNamesAllowOnlyOneEdit() {
        #expect(Suggestion.closest(to: "ab", among: ["xy", "ac"]) == "ac")
        #expect(Suggestion.closest(to: "ab", among: ["xy"]) == nil)
    }
}
