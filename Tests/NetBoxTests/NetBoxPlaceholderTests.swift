import Testing
@testable import NetBox

@Test func NetBoxModuleLinks() { #expect(Bool(true)) }
