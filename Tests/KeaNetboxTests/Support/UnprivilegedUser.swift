import Foundation
import Testing

/// A local user without privileges, for tests where someone other than the user running kea-netbox plants links
/// and files (`runuser`). Created when missing; only root can create it and run commands as it.
enum UnprivilegedUser {
    static let name = "kea-netbox-test"

    /// The user's uid and gid, or nil (with a note, or a failure under KEA_NETBOX_REQUIRE_ALL=1) when the tests do
    /// not run as root.
    static func available() throws -> (uid: uid_t, gid: gid_t)? {
        guard geteuid() == 0 else {
            if Prerequisites.requireAll {
                Issue.record("tests with another user need root (runuser, useradd) but KEA_NETBOX_REQUIRE_ALL=1")
            } else {
                print("note: skipping: tests with another user need root")
            }
            return nil
        }
        if let ids = lookup() { return ids }
        // Another test process may create it at the same moment: its failure is fine when the user then exists.
        _ = try CommandRunner.run(URL(fileURLWithPath: "/usr/sbin/useradd"),
                                  ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name])
        guard let ids = lookup() else { throw UnprivilegedUserError(message: "useradd \(name) failed") }
        return ids
    }

    private static func lookup() -> (uid: uid_t, gid: gid_t)? {
        guard let entry = getpwnam(name) else { return nil }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// Runs a program as the user; throws when it fails, so a plant that did not happen cannot pass a test.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> CommandResult {
        let result = try CommandRunner.run(URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", name, "--", program] + arguments)
        guard result.status == 0 else {
            throw UnprivilegedUserError(message: "runuser -u \(name) -- \(program) \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result
    }
}

struct UnprivilegedUserError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
