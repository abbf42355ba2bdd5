import Diagnostics
/// A parsed Kea configuration file: the tree, where each node came from, and the few facts the installer
/// needs (family, control socket).
public struct ConfigDocument: Sendable {
    /// The name used in messages (the rendered template's output path, or the installed file).
    public let file: String
    /// The top-level object.
    public let root: ConfigValue
    /// Non-fatal reader findings (trailing commas, which Kea accepts with a warning).
    public let warnings: [ConfigFinding]
    let sources: SourceMap

    /// Reads Kea's JSON dialect. Throws at the first syntax error with its line and column.
    public static func parse(_ text: String, file: String, includes: ConfigIncludes = .follow,
                             topLevel: ConfigTopLevel = .keaDaemon) throws(ConfigSyntaxError) -> ConfigDocument {
        try parse(bytes: Array(text.utf8), file: file, includes: includes, topLevel: topLevel)
    }

    /// Reads a document from raw bytes (the installed file as read from disk).
    public static func parse(bytes original: [UInt8], file: String, includes: ConfigIncludes = .follow,
                             topLevel: ConfigTopLevel = .keaDaemon) throws(ConfigSyntaxError) -> ConfigDocument {
        var bytes = original
        var sources: SourceMap
        switch includes {
        case .reject:
            sources = .single(file: file, bytes: bytes)
        case .follow:
            do {
                (bytes, sources) = try IncludeExpander.expand(original, file: file)
            } catch {
                let (line, column) = LineTable(error.bytes).location(of: error.offset)
                throw ConfigSyntaxError(file: error.file, line: line, column: column, message: error.message)
            }
        }
        do throws(ConfigDialect.Failure) {
            let (root, readerWarnings) = try ConfigDialect.parse(bytes)
            if let failure = topLevel.check(root) { throw failure }
            let warnings = readerWarnings.map { warning in
                let (source, line, column) = sources.location(of: warning.offset)
                return ConfigFinding(severity: .warning, rule: "trailing-comma", message: warning.message, file: source, line: line,
                                     column: column, path: "")
            }
            return ConfigDocument(file: file, root: root, warnings: warnings, sources: sources)
        } catch {
            let (source, line, column) = sources.location(of: error.offset)
            throw ConfigSyntaxError(file: source, line: line, column: column, message: error.message)
        }
    }

    init(file: String, root: ConfigValue, warnings: [ConfigFinding], sources: SourceMap) {
        self.file = file
        self.root = root
        self.warnings = warnings
        self.sources = sources
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

    /// The unix control socket's path, which is where the default reloader sends `config-reload`: the singular
    /// `control-socket` (Kea 2.x, still read by 3.0) or the first unix entry of Kea 3's `control-sockets` list
    /// (the singular is gone from Kea's 3.3 development branch).
    public var controlSocketPath: String? {
        controlSockets.first { $0["socket-type"]?.stringValue == "unix" }?["socket-name"]?.stringValue
    }

    /// Every control socket entry, singular form first.
    public var controlSockets: [ConfigValue] {
        [server?["control-socket"]].compactMap { $0 } + (server?["control-sockets"]?.arrayValue ?? [])
    }

    /// The file (the document or an included one), 1-based line and column of a node's offset.
    public func sourceLocation(of offset: Int) -> (file: String, line: Int, column: Int) {
        sources.location(of: offset)
    }

    /// 1-based line and column of a node's offset (in whichever file it came from).
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let (_, line, column) = sources.location(of: offset)
        return (line, column)
    }

    /// The text of a 1-based line of the document (or of an included file), for caret displays.
    public func lineText(_ line: Int, file: String? = nil) -> String {
        sources.lineText(file: file ?? self.file, line: line)
    }
}
