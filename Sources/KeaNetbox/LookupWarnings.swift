import Diagnostics
import NetBox
import Synchronization

/// Bad NetBox data that only a lookup can see, because the template names what to read (the custom field holding
/// a DUID). Reported like the reader's data warnings, once per message however often the lookup runs. One per
/// render; lookups are called through `@Sendable` closures, hence the lock.
final class LookupWarnings: Sendable {
    private let state = Mutex<(list: [DataWarning], seen: Set<String>)>(([], []))

    func add(_ warning: DataWarning) {
        state.withLock { state in
            if state.seen.insert(warning.message).inserted { state.list.append(warning) }
        }
    }

    var diagnostics: [Diagnostic] { state.withLock { $0.list.map(\.diagnostic) } }
}
