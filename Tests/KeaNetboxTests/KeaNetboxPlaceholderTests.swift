import Testing
@testable import KeaNetbox

@Test func KeaNetboxModuleLinks() { #expect(Bool(true)) }
