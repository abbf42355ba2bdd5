/// The environment that check, reload and diff commands start with: kea-netbox's own minus anything that may hold a
/// secret. A check command is often a wrapper script, and a `command:` reloader may be `ssh …`: neither needs the
/// NetBox database password (PGPASSWORD) or an API token, and a child that logs its environment would leak them.
enum ChildEnvironment {
    /// Names known to carry secrets, and the words that mark one by convention.
    static let secretNames: Set<String> = ["PGPASSWORD", "NETBOX_TOKEN", "PGSSLKEY", "PGSSLPASSWORD"]
    static let secretWords = ["PASSWORD", "PASSWD", "TOKEN", "SECRET", "CREDENTIAL", "API_KEY", "APIKEY", "PRIVATE_KEY"]

    static func isSecret(name: String, value: String) -> Bool {
        let upper = name.uppercased()
        if secretNames.contains(upper) || secretWords.contains(where: upper.contains) { return true }
        // A URI with a password (`postgresql://reader:pw@host/db`), whatever the variable is called.
        if let scheme = value.range(of: "://") {
            let authority = value[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") { return true }
        }
        return false
    }

    /// `environment` without its secrets (ProcessRunner applies it to every child).
    static func sanitized(_ environment: [String: String]) -> [String: String] {
        environment.filter { !isSecret(name: $0.key, value: $0.value) }
    }
}
