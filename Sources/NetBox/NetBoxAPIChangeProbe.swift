import Foundation
import Synchronization

/// The change probe through NetBox's API, for `watch --netbox-url` and install's skip of an unchanged run.
///
/// NetBox's change log (`/api/core/object-changes/`, 4.1+; `/api/extras/object-changes/` before) gets a row for
/// every save and deletion made through the UI, the API, scripts and imports. As in the database probe, the mark
/// holds the newest id and the number of rows above a fixed base (the newest row older than `ChangeProbe.window`),
/// so that a transaction committing late, below the newest id, still changes the mark.
///
/// Saves that write no change-log row (Django's shell, a plugin's job) are seen through each read type's object
/// count (deletions) and its most recently updated object (`ordering=-last_updated`: its id and time; every save
/// through the ORM sets `last_updated`). What it cannot see: raw SQL that leaves `last_updated` alone and deletes
/// nothing; `watch --full-every` covers that.
///
/// Requests per probe: 2 to the change log and 1 per type read (7), each answered from one page of one object;
/// the first probe also reads `/api/status/` for the version. NetBox has no index on `last_updated`, so those
/// requests sort the type's table on NetBox's side.
public final class NetBoxAPIChangeProbe: NetBoxChangeProbe, CustomStringConvertible {
    private let url: URL
    /// Private and left out of `description`.
    private let token: String
    private let timeout: Duration
    private let caFile: String?
    private let version = Mutex<NetBoxAPIVersion?>(nil)

    /// The types whose objects become the snapshot, as their list endpoint and permission name.
    static let types: [(path: String, type: String)] = [
        ("api/ipam/ip-addresses/", "ipam.ipaddress"), ("api/dcim/devices/", "dcim.device"),
        ("api/virtualization/virtual-machines/", "virtualization.virtualmachine"),
        ("api/dcim/interfaces/", "dcim.interface"), ("api/virtualization/interfaces/", "virtualization.vminterface"),
        ("api/ipam/prefixes/", "ipam.prefix"), ("api/ipam/ip-ranges/", "ipam.iprange"),
    ]

    public init(url: URL, token: String, timeout: Duration = .seconds(30), caFile: String? = nil) {
        self.url = url
        self.token = token
        self.timeout = timeout
        self.caFile = caFile
    }

    public var description: String { "NetBoxAPIChangeProbe(url: \(NetBoxAPIClient.display(url)))" }

    public func disconnect() {
        version.withLock { $0 = nil }
    }

    public func mark(base: Int64?) throws(DataSourceError) -> ChangeMark {
        let client = NetBoxAPIClient(baseURL: url, token: token, timeout: timeout, caFile: caFile)
        let known = version.withLock { $0 }
        let api: NetBoxAPIVersion
        if let known {
            api = known
        } else {
            api = try NetBoxAPIVersion.read(client)
            version.withLock { $0 = api }
        }
        let log = api.changeLogPath
        let chosenBase: Int64
        if let base {
            chosenBase = base
        } else {
            let cutoff = Date().addingTimeInterval(-3600)
            let older = try client.page(log, objectType: api.changeLogType, query: [
                "time_before": ISO8601DateFormatter().string(from: cutoff), "ordering": "-time", "fields": "id"])
            chosenBase = older.results.first?["id"].int.map(Int64.init) ?? 0
        }
        let above = try client.page(log, objectType: api.changeLogType,
                                    query: ["id__gt": "\(chosenBase)", "ordering": "-id", "fields": "id"])
        let newest = above.results.first?["id"].int.map(Int64.init) ?? (chosenBase > 0 ? chosenBase : nil)
        var tables: [String: [Int64?]] = [:]
        for (path, type) in Self.types {
            let latest = try client.page(path, objectType: type,
                                         query: ["ordering": "-last_updated", "fields": "id,last_updated"])
            let object = latest.results.first
            tables[type] = [object?["id"].int.map(Int64.init), Int64(latest.count),
                            object?["last_updated"].string.flatMap(Self.microseconds)]
        }
        return ChangeMark(changeLog: api.changeLogType, base: chosenBase, recent: Int64(above.count), newest: newest,
                          tables: tables)
    }

    /// `last_updated` (`2026-12-01T12:23:24.166043Z`) in microseconds since 1970, for the mark, which holds integers.
    static func microseconds(_ text: String) -> Int64? {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = parser.date(from: text) ?? ISO8601DateFormatter().date(from: text) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}
