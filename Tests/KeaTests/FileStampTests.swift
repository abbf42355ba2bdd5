import Foundation
import Testing
@testable import Kea

/// What an unchanged install compares instead of reading and hashing files (`FileStamp`): any write changes the
/// stamp, a file written moments ago has no stamp to record yet, and a recorded stamp stands for the bytes.
struct FileStampTests {
    /// Older than the settle time, as a file is that a timer's run finds long after it was installed.
    static func waitUntilSettled() {
        Thread.sleep(forTimeInterval: Double(FileStamp.settleTime) / 1e9 + 0.2)
    }

    @Test func everyWriteChangesTheStampEvenWithTheSameSizeAndBytes() throws {
        let folder = try TestFolder()
        let path = folder.file("kea-dhcp4.conf")
        try Data("{ \"Dhcp4\": {} }\n".utf8).write(to: URL(fileURLWithPath: path))
        let first = try #require(FileStamp.current(path))
        _ = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(FileStamp.current(path) == first, "reading is not a change")

        // The same bytes written again in place: the size and content agree, the status-change time does not.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data("{ \"Dhcp4\": {} }\n".utf8))
        try handle.close()
        let second = try #require(FileStamp.current(path))
        #expect(second.size == first.size)
        #expect(second != first)

        // Replaced by rename, as an editor or the installer does: a new inode.
        try Data("{ \"Dhcp4\": {} }\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        #expect(try #require(FileStamp.current(path)).inode != second.inode)
    }

    @Test func aFileWrittenMomentsAgoHasNoSettledStampYet() throws {
        let folder = try TestFolder()
        let path = folder.file("kea-dhcp4.conf")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(FileStamp.current(path) != nil)
        #expect(FileStamp.settled(path) == nil, "another write within the file system's clock tick could keep the stamp")
        Self.waitUntilSettled()
        #expect(FileStamp.settled(path) == FileStamp.current(path))
        #expect(FileStamp.current(folder.file("missing")) == nil)
        #expect(FileStamp.current(folder.path) == nil, "a folder is no file")
    }

    @Test func theInstallStateComparesTheInstalledFileByItsStampOnceRecorded() throws {
        let folder = try TestFolder()
        let path = folder.file("kea-dhcp4.conf")
        let bytes = Array("{ \"Dhcp4\": { \"subnet4\": [] } }\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let state = InstallState(status: .settled, bytes: bytes, backup: nil, replacedAFile: false, serverHashBefore: nil)

        // Just written: read and hashed, and nothing to record yet.
        let fresh = state.stillDescribes(path)
        #expect(fresh.matches && fresh.restamped == nil)

        // Settled: read and hashed once more, and the stamp recorded for the next run.
        Self.waitUntilSettled()
        let settled = state.stillDescribes(path)
        let restamped = try #require(settled.restamped)
        #expect(settled.matches && restamped.stamp == FileStamp.current(path))

        // With the stamp the file is not read at all: a state whose digest names other bytes still matches.
        var other = InstallState(status: .settled, bytes: Array("other".utf8), backup: nil, replacedAFile: false,
                                 serverHashBefore: nil)
        other.stamp = restamped.stamp
        #expect(other.stillDescribes(path).matches)

        // A hand edit that keeps the size changes the stamp, and the bytes are compared again.
        let edited = Array("{ \"Dhcp4\": { \"subnet6\": [] } }\n".utf8)
        #expect(edited.count == bytes.count)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data(edited))
        try handle.close()
        #expect(FileStamp.current(path)?.size == Int64(bytes.count))
        #expect(!restamped.stillDescribes(path).matches)
    }
}
