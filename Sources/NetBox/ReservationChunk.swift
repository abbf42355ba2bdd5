/// Where a snapshot decode puts the reservations it makes: the first thread's array, or a second thread's chunk.
protocol ReservationAppending {
    mutating func append(_ reservation: consuming Reservation)
}

extension Array: ReservationAppending where Element == Reservation {}

/// Reservations in storage of their own, filled by the snapshot decode's second thread and moved, not copied,
/// into the first thread's array (`moveAll(appendingTo:)`). An `Array` can only be appended to another by
/// copying its elements, a retain of each String, array and dictionary of every reservation, then their release
/// when the copied array is freed: 0.05 G instructions of a render from a 100,000-reservation snapshot (issue 11).
///
/// `@unchecked Sendable`: a chunk has one owner at a time. The second thread makes and fills it, hands it over
/// with its outcome through the `ReservationsTail.Channel`'s lock, and never touches it again; only then does the
/// first thread read it.
final class ReservationChunk: ReservationAppending, @unchecked Sendable {
    let capacity: Int
    private let base: UnsafeMutablePointer<Reservation>
    /// The elements `base[0..<count]` are initialized.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = UnsafeMutablePointer<Reservation>.allocate(capacity: self.capacity)
    }

    var isFull: Bool { count == capacity }

    func append(_ reservation: consuming Reservation) {
        precondition(count < capacity, "a reservation chunk is full")
        (base + count).initialize(to: reservation)
        count += 1
    }

    /// Moves every reservation to the end of `array`, in order, leaving the chunk empty.
    func moveAll(appendingTo array: inout [Reservation]) {
        array.append(contentsOf: Moving(position: base, end: base + count))
        // `append(contentsOf:)` takes every element of a sequence: none is left to deinitialize.
        count = 0
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// The elements from `position` to `end`, each moved out as it is taken.
    private struct Moving: Sequence, IteratorProtocol {
        var position: UnsafeMutablePointer<Reservation>
        let end: UnsafeMutablePointer<Reservation>

        var underestimatedCount: Int { end - position }

        mutating func next() -> Reservation? {
            guard position < end else { return nil }
            defer { position += 1 }
            return position.move()
        }
    }
}
