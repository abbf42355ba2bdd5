import Testing
@testable import Templating

@Test func TemplatingModuleLinks() { #expect(Bool(true)) }
