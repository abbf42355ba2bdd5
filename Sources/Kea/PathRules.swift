import Foundation

/// The folders Kea ≥ 2.4.2 / 2.6.3 / 3.0 allows for the files it opens (CVE-2025-32801): a path whose folder is not the
/// allowed one makes the server refuse to start or to reload. `kea-dhcpN -t` catches only some cases (2.6.3: hooks;
/// 3.0.4: hooks and sockets), and a failed reload leaves Kea running without serving anyone — on 2.6.3 with the
/// socket outside its folder even without its control socket, so the restored file can never be reloaded. Hence
/// these rules run before anything is installed, for the Kea version installed.
///
/// Kea's rule (`PathChecker::validatePath`): a bare file name is put into the allowed folder; a path with a folder must
/// name exactly the allowed folder (no subfolder, links not resolved). The folders are Debian's defaults, each
/// movable with Kea's own environment variable, which is read from the same environment Kea's programs get.
public struct PathRules: Sendable {
    public struct Folder: Sendable, Equatable {
        /// Kea's environment variable (`KEA_CONTROL_SOCKET_DIR`).
        public let variable: String
        /// Debian's compiled-in default.
        public let defaultPath: String
    }

    public static let controlSockets = Folder(variable: "KEA_CONTROL_SOCKET_DIR", defaultPath: "/run/kea")
    public static let leaseFiles = Folder(variable: "KEA_DHCP_DATA_DIR", defaultPath: "/var/lib/kea")
    public static let logFiles = Folder(variable: "KEA_LOG_FILE_DIR", defaultPath: "/var/log/kea")
    public static let hooks = Folder(variable: "KEA_HOOKS_PATH", defaultPath: "/usr/lib/x86_64-linux-gnu/kea/hooks")

    public let version: KeaVersion
    public let environment: [String: String]
    /// The hooks folder the installed Kea was built with (`kea-dhcpN -W`), when known; else Debian's on amd64.
    public let compiledHooksFolder: String?

    public init(version: KeaVersion, environment: [String: String] = ProcessInfo.processInfo.environment,
                compiledHooksFolder: String? = nil) {
        self.version = version
        self.environment = environment
        self.compiledHooksFolder = compiledHooksFolder
    }

    /// The rules of the installed Kea for `document`: its build report is asked for the hooks folder only when the
    /// document names a hook library by path and the environment does not set the folder.
    public static func installed(version: KeaVersion, for document: ConfigDocument,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> PathRules {
        let hookPaths = (document.server?["hooks-libraries"]?.arrayValue ?? [])
            .compactMap { $0["library"]?.stringValue }.filter { $0.contains("/") }
        let needsReport = version.restrictsPaths && !hookPaths.isEmpty && (environment[hooks.variable] ?? "").isEmpty
        return PathRules(version: version, environment: environment,
                         compiledHooksFolder: needsReport ? KeaBuildReport.installedHooksDirectory(family: document.family, environment: environment) : nil)
    }

    /// The folder Kea allows for `folder`, after the environment.
    public func allowed(_ folder: Folder) -> String {
        let compiled = folder == Self.hooks ? compiledHooksFolder ?? folder.defaultPath : folder.defaultPath
        var path = environment[folder.variable].flatMap { $0.isEmpty ? nil : $0 } ?? compiled
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Where this Kea opens the unix control socket a configuration names: Kea with path restrictions puts a bare
    /// file name into its socket folder (Debian 13's stock configuration says `"socket-name": "kea4-ctrl-socket"`
    /// and the server listens on /run/kea/kea4-ctrl-socket); older Kea opens the name as given.
    public func controlSocketLocation(_ name: String) -> String {
        guard version.restrictsPaths, !name.isEmpty, !name.contains("/") else { return name }
        let folder = allowed(Self.controlSockets)
        return folder == "/" ? "/" + name : folder + "/" + name
    }

    /// `controlSocketLocation` for a Kea whose version may be unknown (then the name as given).
    public static func controlSocketLocation(_ name: String?, version: KeaVersion?, environment: [String: String]) -> String? {
        guard let name else { return nil }
        return version.map { PathRules(version: $0, environment: environment).controlSocketLocation(name) } ?? name
    }

    /// Every path in `document` this Kea would refuse, as errors at the offending string.
    public func violations(in document: ConfigDocument) -> [ConfigFinding] {
        guard version.restrictsPaths, let family = document.family, let server = document.server else { return [] }
        var findings: [ConfigFinding] = []
        let top = family.topLevelKey
        func check(_ value: ConfigValue?, key: String, path: String, folder: Folder) {
            guard let value, let text = value.stringValue else { return }
            let parent = (text as NSString).deletingLastPathComponent
            guard !parent.isEmpty else { return }
            let allowed = allowed(folder)
            if parent != allowed {
                report("\(key) \"\(text)\" is outside the folder Kea \(version) allows, \(allowed) (move it there, or set \(folder.variable) for the Kea server and kea-netbox alike)",
                       at: value, path: path)
            } else if folder == Self.controlSockets, version.major >= 3 {
                // Kea 3.0 also refuses a socket folder that is missing, or that its group may write or others enter.
                if let mode = Self.mode(of: allowed) {
                    if mode & 0o027 != 0 {
                        report("\(key) \"\(text)\": Kea \(version) refuses the socket folder \(allowed) with mode \(String(mode, radix: 8)), more relaxed than 750 (chmod 750 \(allowed))",
                               at: value, path: path)
                    }
                } else {
                    report("\(key) \"\(text)\": the socket folder \(allowed) does not exist, and Kea \(version) refuses that (create it with mode 750)",
                           at: value, path: path)
                }
            }
        }
        func report(_ message: String, at node: ConfigValue, path: String) {
            let (file, line, column) = document.sourceLocation(of: node.offset)
            findings.append(ConfigFinding(severity: .error, message: message, file: file, line: line, column: column, path: path))
        }

        if let socket = server["control-socket"], socket["socket-type"]?.stringValue == "unix" {
            check(socket["socket-name"], key: "socket-name", path: "\(top).control-socket.socket-name", folder: Self.controlSockets)
        }
        for (index, socket) in (server["control-sockets"]?.arrayValue ?? []).enumerated()
        where socket["socket-type"]?.stringValue == "unix" {
            check(socket["socket-name"], key: "socket-name", path: "\(top).control-sockets[\(index)].socket-name", folder: Self.controlSockets)
        }
        if let database = server["lease-database"], (database["type"]?.stringValue ?? "memfile") == "memfile" {
            check(database["name"], key: "name", path: "\(top).lease-database.name", folder: Self.leaseFiles)
        }
        for (index, logger) in (server["loggers"]?.arrayValue ?? []).enumerated() {
            for key in ["output_options", "output-options"] {
                for (entry, option) in (logger[key]?.arrayValue ?? []).enumerated() {
                    // stdout, stderr, syslog and syslog:NAME are not files.
                    guard let output = option["output"]?.stringValue, output.contains("/"),
                          !output.hasPrefix("syslog") else { continue }
                    check(option["output"], key: "output", path: "\(top).loggers[\(index)].\(key)[\(entry)].output", folder: Self.logFiles)
                }
            }
        }
        for (index, hook) in (server["hooks-libraries"]?.arrayValue ?? []).enumerated() {
            check(hook["library"], key: "library", path: "\(top).hooks-libraries[\(index)].library", folder: Self.hooks)
        }
        return findings
    }

    private static func mode(of folder: String) -> mode_t? {
        var info = stat()
        guard stat(folder, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }
}
