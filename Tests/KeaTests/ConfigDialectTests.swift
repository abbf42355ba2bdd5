import Foundation
import Testing
@testable import Kea

@Suite struct ConfigDialectTests {
    @Test func readsAllThreeCommentStyles() throws {
        let text = """
        # hash comment
        {
          // line comment
          "Dhcp4": { /* block
          comment */ "valid-lifetime": 4000 }
        }
        """
        let document = try ConfigDocument.parse(text, file: "kea.conf")
        #expect(document.root["Dhcp4"]?["valid-lifetime"]?.integerValue == 4000)
    }

    @Test func commentCharactersInsideStringsAreData() throws {
        let text = #"{"Dhcp4": {"a": "x # y", "b": "http://host//path", "c": "/* not a comment */"}}"#
        let document = try ConfigDocument.parse(text, file: "kea.conf")
        #expect(document.root["Dhcp4"]?["a"]?.stringValue == "x # y")
        #expect(document.root["Dhcp4"]?["b"]?.stringValue == "http://host//path")
        #expect(document.root["Dhcp4"]?["c"]?.stringValue == "/* not a comment */")
    }

    @Test func decodesEscapesAndKeepsRawUTF8() throws {
        let text = #"{"Dhcp4": {"a": "caf\u00e9 \"q\" \\ \n", "b": "café"}}"#
        let document = try ConfigDocument.parse(text, file: "kea.conf")
        #expect(document.root["Dhcp4"]?["a"]?.stringValue == "café \"q\" \\ \n")
        #expect(document.root["Dhcp4"]?["b"]?.stringValue == "café")
    }

    @Test func nestingBeyondTheLimitIsAnErrorAtTheBracketNotACrash() {
        let depth = 10_000
        let text = #"{"Dhcp4": {"user-context": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}"
        let error = #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse(text, file: "kea.conf") }
        #expect(error?.line == 1)
        // The root object and Dhcp4 are two levels; the first bracket is at column 28, and the 255th (column
        // 28 + 254) would open the 257th.
        #expect(error?.column == 28 + 254)
        #expect(error?.message == "nesting deeper than 256 levels")
    }

    @Test func rejectsUnicodeEscapesAboveFFLikeKea() {
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse(#"{"a": "\u0100"}"#, file: "kea.conf")
        }
        #expect(error?.line == 1)
        #expect(error?.column == 8)
        #expect(error?.message.contains("unsupported unicode escape") == true)
    }

    @Test func reportsDuplicateKeysAtTheSecondKey() {
        let text = """
        {
          "Dhcp4": {
            "valid-lifetime": 4000,
            "valid-lifetime": 5000
          }
        }
        """
        let error = #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse(text, file: "dup.conf") }
        #expect(error?.description == #"dup.conf:4:5: error: duplicate key "valid-lifetime" in the same object (Kea rejects duplicate keys)"#)
    }

    @Test func reportsDuplicateKeysInLargeObjects() {
        let members = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse("{\(members), \"k7\": 1}", file: "big.conf")
        }
        #expect(error?.message.contains("duplicate key \"k7\"") == true)
    }

    @Test func missingCommaIsReportedWithLineAndColumn() {
        let text = """
        {
          "Dhcp4": {
            "a": 1
            "b": 2
          }
        }
        """
        let error = #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse(text, file: "f.conf") }
        #expect(error?.line == 4)
        #expect(error?.column == 5)
        #expect(error?.message == #"expected ',' or '}' after the value of "a", found '"'"#)
    }

    @Test func unterminatedStringIsReportedWhereItStarts() {
        let text = "{\n  \"a\": \"open\n}"
        let error = #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse(text, file: "f.conf") }
        #expect(error?.line == 2)
        #expect(error?.column == 8)
        #expect(error?.message.hasPrefix("unterminated string") == true)
    }

    @Test func unterminatedBlockCommentIsReportedWhereItStarts() {
        let text = "{\"a\": 1}\n\n  /* never closed"
        let error = #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse(text, file: "f.conf") }
        #expect(error?.line == 3)
        #expect(error?.column == 3)
    }

    @Test func columnsCountCharactersNotBytes() {
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse(#"{"é": "café", x}"#, file: "f.conf")
        }
        #expect(error?.column == 15)
    }

    @Test func rejectsASecondTopLevelObject() {
        let error = #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse("{}\n{}", file: "f.conf") }
        #expect(error?.line == 2)
        #expect(error?.message.contains("second top-level object") == true)
    }

    @Test func rejectsATopLevelList() {
        #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse("[1]", file: "f.conf") }
    }

    @Test func acceptsTrailingCommaWithAWarningLikeKea() throws {
        let document = try ConfigDocument.parse("{\"Dhcp4\": {\"a\": [1, 2,],\n \"b\": 3,\n}}", file: "f.conf")
        #expect(document.root["Dhcp4"]?["a"]?.arrayValue?.count == 2)
        #expect(document.warnings.map { "\($0.line):\($0.column)" } == ["1:22", "2:8"])
    }

    @Test func rejectsALoneCommaInAList() {
        #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse("{\"a\": [ , ]}", file: "f.conf") }
    }

    @Test func keepsIntegersExactAndDistinctFromReals() throws {
        let document = try ConfigDocument.parse(#"{"Dhcp4": {"big": 9007199254740993, "real": 1.5e3, "neg": -4}}"#, file: "f.conf")
        #expect(document.root["Dhcp4"]?["big"]?.integerValue == 9_007_199_254_740_993)
        #expect(document.root["Dhcp4"]?["neg"]?.integerValue == -4)
        if case .double(let value)? = document.root["Dhcp4"]?["real"]?.kind { #expect(value == 1500) } else { Issue.record("not a double") }
    }

    @Test func rejectsBareWords() {
        let error = #expect(throws: ConfigSyntaxError.self) { try ConfigDocument.parse(#"{"a": yes}"#, file: "f.conf") }
        #expect(error?.message.contains("'yes'") == true)
    }

    @Test func includeDirectivesAreRefusedWhenNotFollowed() {
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse("{\"Dhcp4\": {\n<?include \"x.json\"?>\n}}", file: "f.conf", includes: .reject)
        }
        #expect(error?.line == 2)
        #expect(error?.message.contains("<?include") == true)
    }

    @Test func everyNodeKnowsItsPosition() throws {
        let text = "{\n  \"Dhcp4\": {\n    \"subnet4\": [ { \"id\": 7 } ]\n  }\n}"
        let document = try ConfigDocument.parse(text, file: "f.conf")
        let id = try #require(document.root["Dhcp4"]?["subnet4"]?.arrayValue?.first?["id"])
        #expect(document.location(of: id.offset) == (3, 26) ? true : false)
    }

    @Test func findsFamilyAndUnixControlSocket() throws {
        let text = #"{"Dhcp6": {"control-socket": {"socket-type": "unix", "socket-name": "/run/kea/kea6-ctrl-socket"}}}"#
        let document = try ConfigDocument.parse(text, file: "f.conf")
        #expect(document.family == .v6)
        #expect(document.controlSocketPath == "/run/kea/kea6-ctrl-socket")
    }

    /// Speed is measured by scripts/bench (no wall-clock assertion here: the CI machine is shared).
    @Test func readsOneHundredThousandReservations() throws {
        var text = "{\"Dhcp4\": {\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/8\", \"reservations\": [\n"
        for index in 0..<100_000 {
            if index > 0 { text += ",\n" }
            let mac = String(format: "02:00:00:%02x:%02x:%02x", (index >> 16) & 0xFF, (index >> 8) & 0xFF, index & 0xFF)
            text += "// comment \(index)\n{\"hw-address\": \"\(mac)\", \"ip-address\": \"10.\(((index + 1) >> 16) & 0xFF).\(((index + 1) >> 8) & 0xFF).\((index + 1) & 0xFF)\", \"hostname\": \"host-\(index)\"}"
        }
        text += "]}]}}\n"
        let document = try ConfigDocument.parse(text, file: "big.conf")
        #expect(SemanticChecks.run(document).isEmpty)
        #expect(ConfigSummary(document).reservationCount == 100_000)
    }
}

/// Commas: Kea ≥ 2.1.2 accepts a trailing comma with a warning, but not an empty element.
extension ConfigDialectTests {
    @Test func trailingCommasAreWarningsAtTheComma() throws {
        let document = try ConfigDocument.parse("{\"Dhcp4\": {\"a\": [1, 2,],\n \"b\": 3,\n}}", file: "kea.conf")
        #expect(document.root["Dhcp4"]?["a"]?.arrayValue?.count == 2)
        #expect(document.root["Dhcp4"]?["b"]?.integerValue == 3)
        #expect(document.warnings.map { "\($0.line):\($0.column) \($0.message)" } == [
            "1:22 extraneous comma before ']' (Kea accepts it with a warning)",
            "2:8 extraneous comma before '}' (Kea accepts it with a warning)",
        ])
    }

    @Test func anEmptyListElementIsAnError() {
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse(#"{"a": [ , ]}"#, file: "kea.conf")
        }
        #expect(error?.column == 9)
        #expect(error?.message == "unexpected ',': expected a value")
    }

    @Test func aMissingCommaNamesWhatWasExpected() {
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse("{\"a\": 1 \"b\": 2}", file: "kea.conf")
        }
        #expect(error?.column == 9)
        #expect(error?.message.hasPrefix(#"expected ',' or '}' after the value of "a", found"#) == true)
    }

    @Test func anUnclosedListIsReportedWhereItOpens() {
        let error = #expect(throws: ConfigSyntaxError.self) {
            try ConfigDocument.parse("{\"a\": [1, 2\n", file: "kea.conf")
        }
        #expect(error.map { "\($0.line):\($0.column)" } == "1:7")
        #expect(error?.message == "unterminated list: this '[' is never closed")
    }
}
