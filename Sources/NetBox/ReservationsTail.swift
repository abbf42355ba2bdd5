import Foundation
import Synchronization

/// The second half of a snapshot's reservations array, decoded on a second thread while the first thread parses
/// the document up to it (issue 11: the array is nearly all of the file, and a render from a snapshot is mostly
/// its decode). `start` is where the second thread began: the first element after the writer's entry separator
/// found past the array's middle. The first thread uses what it found only if its own parse of the array reaches
/// an element start exactly there (see `EntryCollector.takeRest`); otherwise the guess was wrong and the outcome
/// is dropped. Owned by the first thread, which ends every tail with `join` or `discard` (both wait for the
/// second thread), so no thread outlives the decode.
///
/// Why sharing across threads is sound: the second thread reads the document through its own copy of the `Data`
/// value (the same bytes, which neither thread writes while both parse: Data's storage is copied on write, and
/// nobody writes), builds every value in a collector of its own, and hands the result over in a `Channel`, the
/// only object both threads hold (an atomic flag and a lock). The one unchecked conformance is the chunks' (see
/// `ReservationChunk`): each has one owner at a time, and changes owner through that lock.
final class ReservationsTail {
    /// What the second thread made of the elements from `start` to the array's end.
    struct Outcome: Sendable {
        /// The reservations of the elements it decoded, in document order (none after the first bad one), in
        /// chunks of at most `chunkLength`.
        var chunks: [ReservationChunk]
        /// The first element that is JSON but not a valid reservation: its index from `start` and its offset.
        let firstBadEntry: BadEntry?
        /// The position after the array's `]`, or the first syntax error from `start` on.
        let end: Result<Int, JSONSyntaxError>
    }

    struct BadEntry: Sendable {
        let index: Int
        let offset: Int
    }

    /// What the two threads share: the first thread's "no use any more", and the second thread's outcome.
    final class Channel: Sendable {
        private let cancelled = Atomic<Bool>(false)
        fileprivate let outcome = Mutex<Outcome?>(nil)

        /// Checked by the second thread before each element.
        var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

        fileprivate func cancel() { cancelled.store(true, ordering: .relaxed) }
    }

    /// Reservations per chunk of the outcome: 48 MiB, above glibc's largest threshold for giving an allocation
    /// a mapping of its own (32 MiB), so a chunk freed once the first thread has copied it goes back to the
    /// system at once. In one array the second half would be held twice while it is copied: 180 MB more at the
    /// peak of a render of 1,000,000 reservations.
    static let chunkLength = (48 << 20) / MemoryLayout<Reservation>.stride

    /// The offset (in the document without its byte order mark) of the first element the second thread parses.
    let start: Int
    private let channel: Channel
    private let thread: JoinableThread

    private init(start: Int, channel: Channel, thread: JoinableThread) {
        self.start = start
        self.channel = channel
        self.thread = thread
    }

    /// Starts the second thread on `data` without its first `skipped` bytes (a byte order mark): `decode` gets
    /// those bytes and the channel (to see `isCancelled`). nil when no thread can be made (a task limit): the
    /// first thread then parses the whole array itself.
    static func start(_ data: Data, skipping skipped: Int, at start: Int,
                      decode: @escaping @Sendable (UnsafeBufferPointer<UInt8>, Channel) -> Outcome)
        -> ReservationsTail?
    {
        let channel = Channel()
        let thread = JoinableThread.start {
            let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Outcome in
                let all = raw.assumingMemoryBound(to: UInt8.self)
                return decode(UnsafeBufferPointer(rebasing: all[skipped...]), channel)
            }
            channel.outcome.withLock { $0 = result }
        }
        return thread.map { ReservationsTail(start: start, channel: channel, thread: $0) }
    }

    /// Waits for the second thread and takes its outcome.
    func join() -> Outcome? {
        thread.join()
        return channel.outcome.withLock { $0.take() }
    }

    /// Stops the second thread at its next element and waits for it; its outcome is dropped.
    func discard() {
        channel.cancel()
        thread.join()
    }
}
