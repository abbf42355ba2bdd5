import Foundation
import Testing
import Kea

/// `FileReplacement.write(to:contents:)`: a file written a piece at a time (a snapshot) replaces the old one whole,
/// with every byte in order, and a large one is handed to the disk as it is written (`sync_file_range`) without
/// changing what ends up in it.
@Suite struct FileReplacementTests {
    @Test func aLargeFileWrittenInPiecesIsWholeAndInOrder() throws {
        let folder = NSTemporaryDirectory() + "file-replacement-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/snapshot.json"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        // 25 pieces of 1 MiB and an odd one: several writeback steps of 8 MiB, and a rest the fsync writes.
        let pieces = (0..<26).map { index in
            [UInt8](repeating: UInt8(truncatingIfNeeded: index &* 37 &+ 1), count: index == 25 ? 12_345 : 1 << 20)
        }
        try FileReplacement.write(to: path, newFileMode: 0o640) { (write) throws(InstallError) in
            for piece in pieces { try write(piece) }
        }
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written == Data(pieces.joined()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["snapshot.json"],
                "no temporary file is left beside it")
    }
}
