import Foundation
import Testing
@testable import Kea

/// The dialect rules taken from Kea's own lexer and grammar (src/bin/dhcp4/dhcp4_lexer.ll, dhcp4_parser.yy and the
/// dhcp6 ones, the same in 2.2.0, 2.6.3 and 3.0.4), each checked against `kea-dhcp4 -t` 2.2 by hand when written;
/// KeaCorpusTests compares whole files with the host's Kea.
@Suite struct KeaLexerRulesTests {
    private func value(_ text: String) throws -> ConfigValue? {
        try ConfigDocument.parse(#"{"Dhcp4": {"v": \#(text)}}"#, file: "k.conf").root["Dhcp4"]?["v"]
    }

    private func failure(_ text: String) -> String? {
        do {
            _ = try ConfigDocument.parse(text, file: "k.conf")
            return nil
        } catch {
            return "\(error.line):\(error.column) \(error.message)"
        }
    }

    @Test func integersAreWhatMatchesMinusDigits() throws {
        #expect(try value("0400")?.integerValue == 400)
        #expect(try value("-0")?.integerValue == 0)
        #expect(try value("-9223372036854775808")?.integerValue == Int64.min)
        #expect(failure(#"{"Dhcp4": {"v": 9223372036854775808}}"#) == "1:17 integer 9223372036854775808 is out of range (Kea reads 64-bit signed integers)")
    }

    @Test func floatsFollowKeasPattern() throws {
        for (text, expected) in [(".45", 0.45), ("+0.5", 0.5), ("5.", 5), ("-.5e3", -500), ("1e-400", 0), ("+1", 1), ("00.5", 0.5)] {
            guard case .double(let number)? = try value(text)?.kind else {
                Issue.record("\(text) is not read as a float")
                continue
            }
            #expect(number == expected, "\(text)")
        }
    }

    @Test func whatTheFloatPatternMatchesButCannotConvertIsAnError() {
        for text in ["+", "-", ".", "+.", "1e400"] {
            #expect(failure(#"{"Dhcp4": {"v": \#(text)}}"#) == "1:17 invalid number '\(text)': Kea cannot convert it to a floating point number")
        }
    }

    @Test func aNumberEndsWhereThePatternEnds() {
        #expect(failure(#"{"Dhcp4": {"v": 1.5.5}}"#) == #"1:20 expected ',' or '}' after the value of "v", found '.'"#)
        #expect(failure(#"{"Dhcp4": {"v": 1e}}"#)?.hasPrefix("1:18 ") == true)
    }

    @Test func exactlyOneTopLevelKey() {
        #expect(failure(#"{"Dhcp4": {"valid-lifetime": 1}, "Logging": {}}"#) ==
            #"1:34 a second top-level key "Logging" beside "Dhcp4": Kea's grammar allows exactly one; Kea 2.0 and later read loggers only from "Dhcp4"."loggers""#)
        #expect(failure(#"{"Dhcp4": {"valid-lifetime": 1}, "Dhcp6": {"valid-lifetime": 1}}"#) ==
            #"1:34 a second top-level key "Dhcp6" beside "Dhcp4": Kea's grammar allows exactly one; each Kea daemon reads its own file"#)
        #expect(failure(#"{"dhcp4": {"valid-lifetime": 1}}"#)?.hasPrefix(#"1:2 unknown top-level key "dhcp4""#) == true)
        #expect(failure("{}") == #"1:1 empty configuration: Kea expects one top-level key ("Dhcp4" or "Dhcp6")"#)
    }

    @Test func theServerMapNeedsAParameter() {
        #expect(failure(#"{"Dhcp6": {}}"#) == #"1:11 "Dhcp6" is empty: Kea's grammar needs at least one parameter in it"#)
    }

    @Test func aTrailingCommaAfterTheServerMapIsAWarning() throws {
        let document = try ConfigDocument.parse(#"{"Dhcp4": {"valid-lifetime": 1},}"#, file: "k.conf")
        #expect(document.warnings.map(\.message) == ["extraneous comma before '}' (Kea accepts it with a warning)"])
    }

    @Test func repeatedCommasAfterAnElementAreWarningsAsInKeasGrammar() throws {
        let document = try ConfigDocument.parse(#"{"Dhcp4": {"a": [1,, 2,,], "b": 1,, "c": 2},,}"#, file: "k.conf")
        #expect(document.root["Dhcp4"]?["a"]?.arrayValue?.count == 2)
        #expect(document.root["Dhcp4"]?["c"]?.integerValue == 2)
        #expect(document.warnings.map { "\($0.column) \($0.message)" } == [
            "20 extraneous comma (Kea accepts it with a warning)",
            "23 extraneous comma before ']' (Kea accepts it with a warning)",
            "24 extraneous comma (Kea accepts it with a warning)",
            "35 extraneous comma (Kea accepts it with a warning)",
            "44 extraneous comma before '}' (Kea accepts it with a warning)",
            "45 extraneous comma (Kea accepts it with a warning)",
        ])
        #expect(failure(#"{"Dhcp4": {, "a": 1}}"#)?.hasPrefix("1:12 ") == true)
    }

    @Test func aByteOrderMarkIsRejectedAsKeaDoes() {
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"Dhcp4": {"valid-lifetime": 1}}"#.utf8), file: "k.conf")
        }
        #expect(error?.message.contains("byte order mark") == true)
    }

    @Test func commentsStandBetweenAnyTwoTokens() throws {
        let text = """
        # a
        { /* b */ "Dhcp4" // c
          /* d */ : # e
          { "valid-lifetime" /* f */ : /* g */ 4000 /* h */ , // i
            "renew-timer" # j
            : 100 , /* k */ } /* l */ , } # m
        """
        let document = try ConfigDocument.parse(text, file: "k.conf")
        #expect(document.root["Dhcp4"]?["renew-timer"]?.integerValue == 100)
    }

    @Test func formFeedAndVerticalTabAreNotBlanks() {
        #expect(failure("{\"Dhcp4\": {\"v\": 1}\u{0C}}")?.hasPrefix("1:19 ") == true)
        #expect(failure("{\"Dhcp4\": {\"v\": 1}\u{0B}}")?.hasPrefix("1:19 ") == true)
    }

    @Test func anIncludeMayHaveBlanksAndLineBreaksBetweenItsParts() throws {
        let folder = try TestFolder()
        let part = folder.file("part.json")
        try #""valid-lifetime": 4000"#.write(toFile: part, atomically: false, encoding: .utf8)
        let document = try ConfigDocument.parse("{\"Dhcp4\": {<?\n include \t \"\(part)\"\n ?>}}", file: "k.conf")
        #expect(document.root["Dhcp4"]?["valid-lifetime"]?.integerValue == 4000)
    }

    @Test func anIncludeHasNoCommentsAndNoEmptyPath() {
        #expect(failure("{\"Dhcp4\": {<?include \"/x\" # c\n?>}}")?.contains("'?>' must follow the path") == true)
        #expect(failure("{\"Dhcp4\": {<?include \"\"?>}}")?.contains("the path must be one non-empty line") == true)
    }

    @Test func elevenNestedIncludesAreTheLimit() throws {
        let folder = try TestFolder()
        func chain(_ length: Int) throws -> String {
            for level in 0..<length {
                let next = level + 1 < length ? "<?include \"\(folder.file("i\(level + 1).json"))\"?>" : #""valid-lifetime": 1"#
                try next.write(toFile: folder.file("i\(level).json"), atomically: false, encoding: .utf8)
            }
            return "{\"Dhcp4\": {<?include \"\(folder.file("i0.json"))\"?>}}"
        }
        #expect(throws: Never.self) { try ConfigDocument.parse(try chain(11), file: "k.conf") }
        let error = #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse(try chain(12), file: "k.conf") }
        #expect(error?.message == "includes nested deeper than 11 levels (Kea's limit)")
    }
}
