/// What may stand at the top of the parsed object. Kea's grammar (2.2, 2.6 and 3.0 alike) reads a daemon's file
/// as `{ "<Daemon>": { … } }`: exactly one key, the daemon's own, and for the DHCP servers a map with at least one
/// parameter; a second key (a stray `"Logging"`, or `"Dhcp6"` beside `"Dhcp4"`) is a syntax error.
public enum ConfigTopLevel: Sendable {
    /// A Kea daemon's configuration file.
    case keaDaemon
    /// Any one JSON object (a control socket's reply).
    case anyObject

    /// The top-level keys of Kea's daemons.
    public static let daemonKeys = ["Dhcp4", "Dhcp6", "DhcpDdns", "Control-agent", "Netconf"]

    func check(_ root: ConfigValue) -> ConfigDialect.Failure? {
        guard self == .keaDaemon, let members = root.objectMembers else { return nil }
        guard let first = members.first else {
            return ConfigDialect.Failure(offset: root.offset, message: "empty configuration: Kea expects one top-level key (\"Dhcp4\" or \"Dhcp6\")")
        }
        guard Self.daemonKeys.contains(first.key) else {
            return ConfigDialect.Failure(offset: first.keyOffset, message: "unknown top-level key \"\(first.key)\": Kea expects \"Dhcp4\" or \"Dhcp6\" (or another daemon's key: \(Self.daemonKeys.dropFirst(2).map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        if members.count > 1 {
            let second = members[1]
            let advice = second.key == "Logging"
                ? "Kea 2.0 and later read loggers only from \"\(first.key)\".\"loggers\""
                : (Self.daemonKeys.contains(second.key) ? "each Kea daemon reads its own file" : "move it inside \"\(first.key)\"")
            return ConfigDialect.Failure(offset: second.keyOffset, message: "a second top-level key \"\(second.key)\" beside \"\(first.key)\": Kea's grammar allows exactly one; \(advice)")
        }
        if first.key == "Dhcp4" || first.key == "Dhcp6", first.value.objectMembers?.isEmpty == true {
            return ConfigDialect.Failure(offset: first.value.offset, message: "\"\(first.key)\" is empty: Kea's grammar needs at least one parameter in it")
        }
        return nil
    }
}
