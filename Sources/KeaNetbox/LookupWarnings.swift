import Diagnostics
import Foundation
import NetBox

/// Bad NetBox data that only a lookup can see, because the template names what to read (the custom field holding
/// a DUID). Reported like the reader's data warnings, once per message however often the lookup runs. One per
/// render; lookups are called through `@Sendable` closures, hence the lock (NSLock rather than Synchronization's
/// Mutex, which needs macOS 15 while the package supports 13).
final class LookupWarnings: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [DataWarning] = []
    private var seen: Set<String> = []

    func add(_ warning: DataWarning) {
        lock.withLock {
            if seen.insert(warning.message).inserted { list.append(warning) }
        }
    }

    var diagnostics: [Diagnostic] { lock.withLock { list.map(\.diagnostic) } }
}
