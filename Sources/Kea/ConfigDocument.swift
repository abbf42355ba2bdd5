/// A parsed Kea configuration file: the tree, where each node came from, and the few facts the installer
/// needs (family, control socket).
public struct ConfigDocument: Sendable {
    /// The name used in messages (the rendered template's output path, or the installed file).
    public let file: String
    /// The top-level object.
    public let root: ConfigValue
    /// Non-fatal reader findings (trailing commas, which Kea accepts with a warning).
    public let warnings: [ConfigFinding]
    private let lines: LineTable

    /// Reads Kea's JSON dialect. Throws at the first syntax error with its line and column.
    public static func parse(_ text: String, file: String) throws(ConfigSyntaxError) -> ConfigDocument {
        try parse(bytes: Array(text.utf8), file: file)
    }

    /// Reads a document from raw bytes (the installed file as read from disk).
    public static func parse(bytes: [UInt8], file: String) throws(ConfigSyntaxError) -> ConfigDocument {
        let lines = LineTable(bytes)
        do {
            let (root, readerWarnings) = try ConfigDialect.parse(bytes)
            let warnings = readerWarnings.map { warning in
                let (line, column) = lines.location(of: warning.offset)
                return ConfigFinding(severity: .warning, message: warning.message, file: file, line: line,
                                     column: column, path: "")
            }
            return ConfigDocument(file: file, root: root, warnings: warnings, lines: lines)
        } catch {
            let (line, column) = lines.location(of: error.offset)
            throw ConfigSyntaxError(file: file, line: line, column: column, message: error.message)
        }
    }

    private init(file: String, root: ConfigValue, warnings: [ConfigFinding], lines: LineTable) {
        self.file = file
        self.root = root
        self.warnings = warnings
        self.lines = lines
    }

    /// `Dhcp4` or `Dhcp6`, from the top-level key (a file holding both counts as DHCPv4, as kea-dhcp4 reads it).
    public var family: KeaFamily? {
        if root["Dhcp4"] != nil { return .v4 }
        if root["Dhcp6"] != nil { return .v6 }
        return nil
    }

    /// The `Dhcp4` or `Dhcp6` map.
    public var server: ConfigValue? {
        guard let family else { return nil }
        return root[family.topLevelKey]
    }

    /// The unix control socket's path (`control-socket.socket-name` when `socket-type` is `unix`), which is
    /// where the default reloader sends `config-reload`.
    public var controlSocketPath: String? {
        guard let socket = server?["control-socket"], socket["socket-type"]?.stringValue == "unix" else { return nil }
        return socket["socket-name"]?.stringValue
    }

    /// 1-based line and column of a node's byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        lines.location(of: offset)
    }

    /// The text of a 1-based line, for caret displays.
    public func lineText(_ line: Int) -> String {
        lines.lineText(line)
    }
}
