import Testing
@testable import Templating

@Suite struct RendererTests {
    @Test func plainTextPassesThrough() throws {
        #expect(try render("{\"a\": 1}\n") == "{\"a\": 1}\n")
    }

    @Test func stringInValuePositionIsQuoted() throws {
        #expect(try render("{\"h\": {{ name }}}", ["name": "srv1"]) == "{\"h\": \"srv1\"}")
    }
}
