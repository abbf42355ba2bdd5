import Foundation

/// One Kea installation the integration tests run against: the host's own (Debian 12: 2.2), and the Kea 2.6 and 3.0
/// of the debootstrap chroots that `scripts/kea-chroots` builds under /var/cache/kea-netbox-ci/kea-chroots
/// (`KEA_NETBOX_CHROOTS` moves it). A chroot's programs are run on the host through the wrappers in its
/// `bin.kea-netbox` folder, so a test's folders, sockets and network namespaces are the same for the test and Kea.
///
/// Kea ≥ 2.4.2/2.6.3 allows sockets, lease files, logs and hooks only in its own folders, which tests cannot use; the
/// tests move those folders with Kea's own environment variables (`environment(folder:)`), exactly as an operator
/// would, so nothing is relaxed in kea-netbox.
public struct KeaUnderTest: Sendable, CustomStringConvertible, Hashable {
    /// `host`, `trixie`, `sid`.
    public let name: String
    /// The folder of the chroot's wrappers; nil for the host's Kea.
    public let binFolder: String?
    /// Where this Kea's hook libraries are (`KEA_HOOKS_PATH`).
    public let hooksFolder: String

    public static let chrootSuites = ["trixie", "sid"]

    public static var chrootCache: String {
        ProcessInfo.processInfo.environment["KEA_NETBOX_CHROOTS"] ?? "/var/cache/kea-netbox-ci/kea-chroots"
    }

    public static let host = KeaUnderTest(name: "host", binFolder: nil, hooksFolder: "/usr/lib/x86_64-linux-gnu/kea/hooks")

    public static func chroot(_ suite: String) -> KeaUnderTest {
        let root = chrootCache + "/" + suite
        return KeaUnderTest(name: suite, binFolder: root + "/bin.kea-netbox",
                            hooksFolder: root + "/usr/lib/x86_64-linux-gnu/kea/hooks")
    }

    /// Every Kea the tests know of, installed or not (a test says why it cannot run one: see `missingReason`).
    public static let all: [KeaUnderTest] = [host] + chrootSuites.map(chroot)

    /// Why this Kea cannot run here, or nil.
    public var missingReason: String? {
        guard let binFolder else {
            return program("kea-dhcp4") == nil ? "the host's kea-dhcp4 is not installed (apt-get install kea-dhcp4-server kea-dhcp6-server kea-ctrl-agent)" : nil
        }
        return FileManager.default.isExecutableFile(atPath: binFolder + "/kea-dhcp4")
            ? nil : "the Kea chroot \(name) is missing in \(Self.chrootCache) (run scripts/kea-chroots as root)"
    }

    /// The path of one of this Kea's programs (`kea-dhcp4`, `kea-dhcp6`, `kea-ctrl-agent`).
    public func program(_ name: String) -> String? {
        if let binFolder {
            let path = binFolder + "/" + name
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin"]
        return folders.lazy.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The version `kea-dhcp4 -V` reports ("2.6.3"), or "?" when it cannot be run.
    public var version: String {
        guard let program = program("kea-dhcp4") else { return "?" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-V"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "?" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).first.map(String.init) ?? "?"
    }

    /// The environment for this Kea and for kea-netbox driving it: this Kea's programs first in PATH, and every
    /// folder Kea restricts moved to `folder` (which must be mode 0750 or stricter for the control socket).
    public func environment(folder: String, base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = base
        if let binFolder { environment["PATH"] = binFolder + ":" + (base["PATH"] ?? "/usr/bin:/bin") }
        for variable in Self.folderVariables { environment[variable] = folder }
        environment["KEA_HOOKS_PATH"] = hooksFolder
        return environment
    }

    /// Kea's variables for the folders it writes in (pid and lock files, sockets, leases, logs).
    public static let folderVariables = ["KEA_PIDFILE_DIR", "KEA_LOCKFILE_DIR", "KEA_CONTROL_SOCKET_DIR",
                                         "KEA_DHCP_DATA_DIR", "KEA_LOG_FILE_DIR", "KEA_LEGAL_LOG_DIR"]

    public var description: String { binFolder == nil ? "Kea on the host" : "Kea of the \(name) chroot" }
}
