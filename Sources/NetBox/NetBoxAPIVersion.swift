/// What differs between the NetBox 4.x APIs the reader uses, from `/api/status/`'s `netbox-version`.
struct NetBoxAPIVersion: Equatable {
    let major: Int
    let minor: Int

    /// 4.2 moved MACs into their own objects (an interface lists `mac_addresses`, `mac_address` is the primary's)
    /// and gave prefixes and clusters a generic scope instead of a site.
    var hasMACObjects: Bool { (major, minor) >= (4, 2) }
    var hasScopes: Bool { (major, minor) >= (4, 2) }
    /// The database reader's label for the same schema, so both snapshots say the same thing.
    var schemaLabel: String {
        (hasMACObjects ? PostgresReader.SchemaGeneration.netbox42 : .netbox36).rawValue
    }
    /// 4.1 moved the change log from extras to core.
    var changeLogPath: String { (major, minor) >= (4, 1) ? "api/core/object-changes/" : "api/extras/object-changes/" }
    var changeLogType: String { (major, minor) >= (4, 1) ? "core.objectchange" : "extras.objectchange" }

    /// Parses `4.7.3`, `4.2.0-beta1`, `v4.1.2-Docker-3.0.1`.
    init?(_ text: String) {
        let digits = text.drop { !$0.isNumber }
        let parts = digits.split(separator: ".", maxSplits: 2)
        guard parts.count >= 2, let major = Int(parts[0]),
              let minor = Int(parts[1].prefix { $0.isNumber }) else { return nil }
        self.major = major
        self.minor = minor
    }

    static func read(_ client: NetBoxAPIClient) throws(DataSourceError) -> NetBoxAPIVersion {
        let status = try client.get(client.baseURL.appendingPathComponent("api/status/"), objectType: "status")
        guard case .object(let fields) = status, case .string(let text)? = fields["netbox-version"] else {
            throw DataSourceError(reason: .schema, message: """
                \(NetBoxAPIClient.display(client.baseURL)): /api/status/ has no netbox-version: is this a NetBox URL?
                """)
        }
        guard let version = NetBoxAPIVersion(text), version.major >= 4 else {
            throw DataSourceError(reason: .schema, message: """
                NetBox \(text) at \(NetBoxAPIClient.display(client.baseURL)): the API reader needs NetBox 4.0 or later \
                (the `fields` parameter); read older NetBox through its database (--database)
                """)
        }
        return version
    }
}
