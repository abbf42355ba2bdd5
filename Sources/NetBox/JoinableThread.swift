#if canImport(Glibc)
import Glibc
#endif

/// A second thread for work that is split in two (a snapshot's read and its decode): started with
/// `pthread_create`, whose result is checked (no thread, as under a task limit, means the caller does all the work
/// itself), and always joined by its owner, so no thread outlives the work it was made for. Its stack is the main
/// thread's usual 8 MiB, not a secondary thread's smaller default: the snapshot parse recurses once per nesting
/// level of a custom field.
final class JoinableThread {
    private let thread: pthread_t

    private init(_ thread: pthread_t) {
        self.thread = thread
    }

    /// The body, handed to `pthread_create` as its argument.
    private final class Work {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread; nil when none can be made.
    static func start(_ body: @escaping @Sendable () -> Void) -> JoinableThread? {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        _ = pthread_attr_setstacksize(&attributes, 8 << 20)
        let argument = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { argument in
            guard let argument else { return nil }
            Unmanaged<Work>.fromOpaque(argument).takeRetainedValue().body()
            return nil
        }, argument)
        guard created == 0 else {
            Unmanaged<Work>.fromOpaque(argument).release()
            return nil
        }
        return JoinableThread(thread)
    }

    /// Waits for the body to end.
    func join() {
        pthread_join(thread, nil)
    }
}
