import Testing
@testable import Kea

@Test func KeaModuleLinks() { #expect(Bool(true)) }
