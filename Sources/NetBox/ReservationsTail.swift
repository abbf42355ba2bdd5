import Dispatch
import Foundation
import Synchronization

/// The second half of a snapshot's reservations array, decoded on a second thread while the first thread parses
/// the document up to it (issue 11: the array is nearly all of the file, and a render from a snapshot is mostly
/// its decode). `start` is where the second thread began: the first element after the writer's entry separator
/// found past the array's middle. The first thread uses what it found only if its own parse of the array reaches
/// an element start exactly there (see `EntryCollector.takeRest`); otherwise the guess was wrong and the outcome
/// is dropped.
///
/// Why sharing this across threads is sound without any unchecked conformance: the second thread reads the
/// document through its own copy of the `Data` value (the same bytes, which neither thread writes while both
/// parse; Data's storage is copied on write, and nobody writes), builds every value in a collector of its own,
/// and hands the result over under a lock. The first thread waits for the second (`join`, `discard`) before it
/// reads that result, and before the decode returns in every case, so no thread outlives the decode.
final class ReservationsTail: Sendable {
    /// What the second thread made of the elements from `start` to the array's end.
    struct Outcome: Sendable {
        /// The reservations of the elements it decoded, in document order (none after the first bad one), in
        /// chunks of at most `chunkLength`.
        var chunks: [[Reservation]]
        /// The first element that is JSON but not a valid reservation: its index from `start` and its offset.
        let firstBadEntry: BadEntry?
        /// The position after the array's `]`, or the first syntax error from `start` on.
        let end: Result<Int, JSONSyntaxError>
    }

    struct BadEntry: Sendable {
        let index: Int
        let offset: Int
    }

    /// Reservations per chunk of the outcome: 48 MiB, above glibc's largest threshold for giving an allocation
    /// a mapping of its own (32 MiB), so a chunk freed once the first thread has copied it goes back to the
    /// system at once. In one array the second half would be held twice while it is copied: 180 MB more at the
    /// peak of a render of 1,000,000 reservations.
    static let chunkLength = (48 << 20) / MemoryLayout<Reservation>.stride

    /// The offset (in the document without its byte order mark) of the first element the second thread parses.
    let start: Int
    private let cancelled = Atomic<Bool>(false)
    private let outcome = Mutex<Outcome?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    private init(start: Int) {
        self.start = start
    }

    /// Starts the second thread on `data` without its first `skipped` bytes (a byte order mark): `decode` gets
    /// those bytes and this tail (to see `isCancelled`).
    static func start(_ data: Data, skipping skipped: Int, at start: Int,
                      decode: @escaping @Sendable (UnsafeBufferPointer<UInt8>, ReservationsTail) -> Outcome)
        -> ReservationsTail
    {
        let tail = ReservationsTail(start: start)
        let thread = Thread {
            let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Outcome in
                let all = raw.assumingMemoryBound(to: UInt8.self)
                return decode(UnsafeBufferPointer(rebasing: all[skipped...]), tail)
            }
            tail.outcome.withLock { $0 = result }
            tail.finished.signal()
        }
        // The parse recurses once per nesting level (up to JSONTextParser.maximumDepth in a custom field): the
        // main thread's usual 8 MiB, not a secondary thread's smaller default.
        thread.stackSize = 8 << 20
        thread.start()
        return tail
    }

    /// Whether the first thread has no use for the rest of the work; checked before each element.
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Waits for the second thread and takes its outcome (nil only if it was taken before).
    func join() -> Outcome? {
        finished.wait()
        return outcome.withLock { $0.take() }
    }

    /// Stops the second thread at its next element and waits for it; its outcome is dropped.
    func discard() {
        cancelled.store(true, ordering: .relaxed)
        finished.wait()
    }
}
