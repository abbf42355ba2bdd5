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
}
