import Foundation
import Testing
import NetBox

/// `SnapshotFile.read` reads a file whole into memory of its own (huge pages for large files): the bytes must be
/// the file's, whatever its size, and a file that cannot be read must say why.
@Suite struct SnapshotFileTests {
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "snapshot-file-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Sizes around the 2 MiB huge page: just under (read the usual way), exactly one page, one byte over.
    @Test(arguments: [(2 << 20) - 1, 2 << 20, (2 << 20) + 1, 5_000_000])
    func aLargeFileIsReadWhole(size: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = try SnapshotFile.read(path)
        #expect(data.count == size)
        #expect(data == Data(bytes))
    }

    /// From 16 MiB on, the halves are read at once on two threads, meeting at a huge page: every byte must be
    /// the file's, wherever the halves meet, for sizes on and beside a huge page.
    @Test(arguments: [16 << 20, (18 << 20) + 1, (21 << 20) - 1, 40_000_003])
    func aFileReadInTwoHalvesIsReadWhole(size: Int) throws {
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            for index in 0..<size { buffer[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 11) }
            count = size
        }
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = try SnapshotFile.read(path)
        #expect(data.count == size)
        #expect(data == Data(bytes))
    }

    @Test func smallAndEmptyFilesAreReadWhole() throws {
        for bytes in [[], Array("{\"format\": \"kea-netbox-snapshot/1\"}\n".utf8)] {
            let path = try temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(try SnapshotFile.read(path) == Data(bytes))
        }
    }

    @Test func aFileThatCannotBeReadSaysWhy() throws {
        let missing = NSTemporaryDirectory() + "no-such-snapshot-\(UUID().uuidString)"
        #expect(throws: SnapshotFile.ReadError.self) { try SnapshotFile.read(missing) }
        do {
            _ = try SnapshotFile.read(missing)
        } catch {
            #expect(error.description == "No such file or directory")
        }
        do {
            _ = try SnapshotFile.read(NSTemporaryDirectory())
            Issue.record("a directory was read as a snapshot")
        } catch {
            #expect(!error.description.isEmpty)
        }
    }
}
