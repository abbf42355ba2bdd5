import Foundation
import Testing
@testable import NetBox

/// `snapshot --output` writes the snapshot a piece at a time (`Snapshot.encode(inPieces:)`): the pieces, in order,
/// are exactly the document `encoded()` gives.
@Suite struct SnapshotPiecesTests {
    func snapshot(hosts: Int) throws -> Snapshot {
        let reservations = try (0..<hosts).map { n in
            Reservation(ipID: n + 1, ip: try #require(IPAddress("10.\(n / 65_536).\(n / 256 % 256).\(n % 256)")),
                        prefixLength: 8, mac: try #require(MACAddress(String(format: "02:00:00:%02x:%02x:%02x", n >> 16, (n >> 8) & 255, n & 255))),
                        hostname: "host-\(n).example.net", dnsName: "host-\(n).example.net", name: "host-\(n)",
                        kind: .device, interface: "eth0", site: "dc1", tenant: nil, host: HostDetails(status: "active"))
        }
        return Snapshot(schema: "4.2+", reservations: reservations)
    }

    @Test func thePiecesOfALargeSnapshotAreItsDocument() throws {
        let large = try snapshot(hosts: 6_000)
        var pieces: [[UInt8]] = []
        large.encode { pieces.append($0) }
        #expect(pieces.count > 1, "a document of several MiB comes in several pieces")
        #expect(pieces.dropLast().allSatisfy { $0.count >= 1 << 20 })
        #expect(pieces.flatMap { $0 } == Array(large.encoded()))
    }

    @Test func aSmallSnapshotIsOnePiece() throws {
        let small = try snapshot(hosts: 3)
        var pieces: [[UInt8]] = []
        small.encode { pieces.append($0) }
        #expect(pieces.count == 1)
        #expect(pieces.first == Array(small.encoded()))
    }

    @Test func aFailingSinkStopsTheEncoding() throws {
        struct Full: Error {}
        var calls = 0
        #expect(throws: Full.self) {
            try snapshot(hosts: 6_000).encode { (_: [UInt8]) throws(Full) in
                calls += 1
                throw Full()
            }
        }
        #expect(calls == 1)
    }
}
