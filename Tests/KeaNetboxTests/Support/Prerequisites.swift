import Foundation
import KeaTestSupport
import Testing

/// Tests that need a real Kea or PostgreSQL say so plainly when it is missing, and fail instead of skipping when
/// KEA_NETBOX_REQUIRE_ALL=1 (CI), so a machine without Kea can never pass by running nothing.
enum Prerequisites {
    static var requireAll: Bool { ProcessInfo.processInfo.environment["KEA_NETBOX_REQUIRE_ALL"] == "1" }

    /// The path of a Kea program (PATH, then /usr/sbin where Debian puts it).
    static func program(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin"]
        return folders.lazy.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Whether a test can run against `kea` (see `KeaUnderTest.missingReason`); says why not when it cannot.
    static func usable(_ kea: KeaUnderTest, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let reason = kea.missingReason else { return true }
        unavailable(reason, sourceLocation: sourceLocation)
        return false
    }

    /// Whether a test that needs `program` can run; records a failure when it cannot and everything is required.
    static func available(_ name: String) -> URL? {
        if let url = program(name) { return url }
        if requireAll {
            Issue.record("\(name) is not installed but KEA_NETBOX_REQUIRE_ALL=1 (apt-get install kea-dhcp4-server kea-dhcp6-server)")
        } else {
            print("note: skipping: \(name) is not installed")
        }
        return nil
    }
}
