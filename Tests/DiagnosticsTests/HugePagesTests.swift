import Diagnostics
import Foundation
import Testing

/// The huge-page advice for large buffers: growing a render's output ahead keeps every byte, and the advice
/// reaches the kernel (the memory's mapping becomes eligible for transparent huge pages).
@Suite struct HugePagesTests {
    @Test func aSmallBufferIsLeftAsItIs() {
        var bytes: [UInt8] = Array(repeating: 7, count: 1000)
        let capacity = bytes.capacity
        HugePages.keepRoom(64 << 10, in: &bytes)
        #expect(bytes.capacity == capacity, "below a quarter MiB the array grows by itself, as any array does")
        #expect(bytes == Array(repeating: 7, count: 1000))
    }

    @Test func aLargeBufferGrowsAheadKeepingEveryByte() {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(300_000)
        for index in 0..<bytes.capacity { bytes.append(UInt8(truncatingIfNeeded: index &* 31)) }
        let expected = bytes
        HugePages.keepRoom(64 << 10, in: &bytes)
        #expect(bytes == expected)
        #expect(bytes.capacity >= expected.count + 64 << 10)
        #expect(bytes.capacity >= 2 * expected.count, "it doubles, so a buffer filled in small steps is copied O(log n) times")

        // With the room there, nothing moves.
        let base = bytes.withUnsafeBufferPointer { $0.baseAddress }
        HugePages.keepRoom(64 << 10, in: &bytes)
        #expect(bytes.withUnsafeBufferPointer { $0.baseAddress } == base)
    }

    @Test func reserveKeepsTheElementsAndMakesRoom() {
        var values = ["a", "b", "c"]
        HugePages.reserve(1_000_000, in: &values)
        #expect(values == ["a", "b", "c"])
        #expect(values.capacity >= 1_000_000)
    }

    /// Where the kernel offers transparent huge pages at all ("always" or "madvise"), an advised mapping is
    /// eligible for them: `/proc/self/smaps` says so of the mapping holding the buffer.
    @Test func theAdviceReachesTheKernel() throws {
        let mode = try String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
        let length = 8 << 20
        let memory = try #require(mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(memory != MAP_FAILED)
        defer { munmap(memory, length) }
        // An unaligned start and length, as a malloc'd block has: the whole pages inside are advised.
        HugePages.advise(memory + 16, byteCount: length - 32)
        let address = UInt(bitPattern: memory + (4 << 20))
        let eligible = try Self.thpEligible(containing: address)
        #expect(eligible == !mode.contains("[never]"), "THP mode \(mode)")
    }

    /// The `THPeligible` line of the smaps entry whose address range holds `address`.
    static func thpEligible(containing address: UInt) throws -> Bool {
        // Read to its end: a /proc file has no size to read up to.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inside, fields.first == "THPeligible:" {
                return fields.last == "1"
            }
        }
        Issue.record("no smaps entry with THPeligible holds \(String(address, radix: 16))")
        return false
    }
}
