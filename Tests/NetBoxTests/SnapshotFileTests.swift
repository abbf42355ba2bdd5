import Foundation
import Testing
@testable import NetBox

/// `SnapshotFile.read` maps a large file under a read lease, or reads it into memory of its own: the bytes must be
/// the file's, whatever its size and however it was read; while they are in use no other process can truncate
/// the file under them; and a file that cannot be read must say why.
@Suite struct SnapshotFileTests {
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "snapshot-file-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Sizes around 2 MiB, where mapping starts: just under (read the usual way), exactly, one byte over.
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

    /// A file that cannot be mapped (here: open for writing elsewhere, so no lease) is copied; from 16 MiB on its
    /// halves are read at once on two threads, meeting at a page: every byte must be the file's, wherever they
    /// meet.
    @Test(arguments: [16 << 20, (18 << 20) + 1, (21 << 20) - 1, 40_000_003])
    func aFileReadInTwoHalvesIsReadWhole(size: Int) throws {
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            for index in 0..<size { buffer[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 11) }
            count = size
        }
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try #require(FileHandle(forWritingAtPath: path))
        defer { try? writer.close() }
        let (data, method) = try SnapshotFile.readReporting(path)
        #expect(method == .copied, "a file open for writing gets no read lease")
        #expect(data.count == size)
        #expect(data == Data(bytes))
    }

    /// A large file is mapped under a read lease: another process's truncating open (a shell's `>`, as in
    /// `kea-netbox snapshot … > file`) waits until the bytes are released
    /// (reading every mapped page meanwhile does not kill the reader with SIGBUS), then goes ahead. The kernel's
    /// note to the lease holder (SIGURG) does not end the process either.
    @Test func aMappedFileCannotBeTruncatedUnderItsReader() throws {
        let size = 5_000_000
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var read: (data: Data, method: SnapshotFile.Method)? = try SnapshotFile.readReporting(path)
        #expect(read?.method == .mapped, "a file of our own on a local file system gets a read lease")

        let truncate = Process()
        truncate.executableURL = URL(fileURLWithPath: "/bin/sh")
        truncate.arguments = ["-c", ": > \"$1\"", "sh", path]
        try truncate.run()
        Thread.sleep(forTimeInterval: 0.5)
        #expect(truncate.isRunning, "the truncate waits for the lease")
        #expect(read?.data == Data(bytes), "every page is still the file's")
        #expect((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == size)

        read = nil
        let deadline = Date().addingTimeInterval(30)
        while truncate.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(!truncate.isRunning, "the truncate goes ahead once the bytes are released")
        truncate.waitUntilExit()
        #expect(truncate.terminationStatus == 0)
        #expect((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0)
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
