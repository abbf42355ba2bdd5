import Foundation
import PostgreSQL

/// Reads the same snapshot as `PostgresReader`, through NetBox's REST API, for operators who may not reach the
/// database (NetBox Cloud, managed NetBox, a security team that refuses a database grant).
///
/// The API objects are turned into the rows the reader's SQL returns (`NetBoxAPIRows`), so the decoding, the
/// warnings and the conflict resolution are the database reader's own and the two snapshots are identical.
///
/// Requests: one per page (`limit=pageSize`, `fields=` selecting only what the snapshot needs) of IP addresses,
/// devices, VMs, device and VM interfaces, prefixes and IP ranges, plus clusters and locations when a VM or prefix
/// takes its site from them: a count set by the number of objects, never by the number of subnets.
///
/// Consistency: the API has no transaction, so an edit during the read can give a torn view (an IP moved between
/// two pages, a device read before its new primary IP). The change log's high-water mark is read before and after;
/// if it moved, the read is repeated once, and if it moved again the read fails rather than render a torn state.
public struct NetBoxAPIReader: Sendable, CustomStringConvertible, CustomReflectable {
    public let url: URL
    /// Private and left out of `description` and the mirror.
    private let token: String
    public let timeout: Duration
    public let pageSize: Int
    /// Certificate authorities to trust instead of the system's (`--ca-file`).
    public let caFile: String?
    let maxAttempts: Int

    public init(url: URL, token: String, timeout: Duration = .seconds(30), caFile: String? = nil,
                pageSize: Int = 1000, maxAttempts: Int = 4) {
        self.url = url
        self.token = token
        self.timeout = timeout
        self.caFile = caFile
        self.pageSize = pageSize
        self.maxAttempts = maxAttempts
    }

    public var description: String { "NetBoxAPIReader(url: \(NetBoxAPIClient.display(url)), timeout: \(timeout))" }
    public var customMirror: Mirror {
        Mirror(self, children: ["url": NetBoxAPIClient.display(url), "timeout": timeout, "pageSize": pageSize])
    }

    public func read() throws(DataSourceError) -> (snapshot: Snapshot, warnings: [DataWarning]) {
        let client = NetBoxAPIClient(baseURL: url, token: token, timeout: timeout, caFile: caFile,
                                     maxAttempts: maxAttempts)
        let version = try NetBoxAPIVersion.read(client)
        var mark = try changeMark(client, version)
        for _ in 0..<2 {
            let result = try readOnce(client, version)
            let after = try changeMark(client, version)
            if after == mark { return result }
            mark = after
        }
        throw DataSourceError(reason: .query, message: """
            NetBox was edited during two reads in a row (its change log moved each time); nothing was rendered from \
            a half-edited state. Run again when the edits have settled.
            """)
    }

    /// The id of the newest change log entry (nil on an empty log).
    private func changeMark(_ client: NetBoxAPIClient, _ version: NetBoxAPIVersion) throws(DataSourceError) -> Int? {
        let newest = try client.page(version.changeLogPath, objectType: version.changeLogType,
                                     query: ["ordering": "-id", "fields": "id"])
        return newest.results.first?["id"].int
    }

    private func readOnce(_ client: NetBoxAPIClient, _ version: NetBoxAPIVersion) throws(DataSourceError)
        -> (snapshot: Snapshot, warnings: [DataWarning])
    {
        func list(_ path: String, _ type: String, _ fields: [String]) throws(DataSourceError) -> [[String: JSONValue]] {
            try client.list(path, fields: fields, objectType: type, pageSize: pageSize)
        }
        let macFields = version.hasMACObjects ? ["mac_address", "mac_addresses"] : ["mac_address"]
        let addresses = try list("api/ipam/ip-addresses/", "ipam.ipaddress", [
            "id", "address", "dns_name", "status", "description", "custom_fields", "vrf", "tenant", "tags",
            "assigned_object_type", "assigned_object_id"])
        let hostFields = ["id", "name", "site", "tenant", "primary_ip4", "primary_ip6", "role", "platform", "status",
                          "tags", "custom_fields"]
        let devices = try list("api/dcim/devices/", "dcim.device", hostFields + ["device_type", "oob_ip"])
        let machines = try list("api/virtualization/virtual-machines/", "virtualization.virtualmachine",
                                hostFields + ["cluster"])
        let interfaceFields = ["id", "name", "tags", "custom_fields", "untagged_vlan"] + macFields
        let interfaces = try list("api/dcim/interfaces/", "dcim.interface", interfaceFields + ["device"])
        let vmInterfaces = try list("api/virtualization/interfaces/", "virtualization.vminterface",
                                    interfaceFields + ["virtual_machine"])
        let prefixes = try list("api/ipam/prefixes/", "ipam.prefix", [
            "id", "prefix", "status", "is_pool", "description", "custom_fields", "vrf", "tenant", "role", "tags",
            "vlan"] + (version.hasScopes ? ["scope_type", "scope_id", "scope"] : ["site"]))
        let ranges = try list("api/ipam/ip-ranges/", "ipam.iprange", [
            "id", "start_address", "end_address", "status", "description", "custom_fields", "vrf", "tenant", "role",
            "tags"])

        let definitions = try list("api/extras/custom-fields/", "extras.customfield", ["name", "type"])
        var rows = NetBoxAPIRows(hasScopes: version.hasScopes,
                                 customFields: NetBoxAPICustomFields(definitions: definitions))
        // Clusters and locations are read only when something takes its site from them.
        if machines.contains(where: { rows.needsClusterSite($0) }) {
            rows.clusters = try list("api/virtualization/clusters/", "virtualization.cluster",
                                     version.hasScopes ? ["id", "scope_type", "scope_id", "scope"] : ["id", "site"])
        }
        if version.hasScopes && (prefixes + rows.clusters).contains(where: NetBoxAPIRows.isLocationScoped) {
            rows.locations = try list("api/dcim/locations/", "dcim.location", ["id", "site"])
        }
        do throws(ColumnError) {
            var warnings: [DataWarning] = []
            var candidates: [Reservation] = []
            for (owners, ownInterfaces, kind) in [(devices, interfaces, Reservation.Kind.device),
                                                  (machines, vmInterfaces, .vm)] {
                let result = rows.interfaceAddresses(addresses: addresses, owners: owners, interfaces: ownInterfaces,
                                                     kind: kind)
                try RowDecoding.reservations(result, kind: kind, into: &candidates, warnings: &warnings)
            }
            let (reservations, conflicts) = ReservationConflicts.resolve(consume candidates)
            warnings += conflicts
            var prefixList: [Prefix] = []
            for row in rows.prefixes(prefixes).rows {
                if let prefix = try RowDecoding.prefix(row, warnings: &warnings) { prefixList.append(prefix) }
            }
            var rangeList: [IPRange] = []
            for row in rows.ipRanges(ranges).rows {
                if let range = try RowDecoding.ipRange(row, warnings: &warnings) { rangeList.append(range) }
            }
            var snapshot = Snapshot(schema: version.schemaLabel, prefixes: prefixList, ipRanges: rangeList,
                                    reservations: reservations)
            snapshot.sort()
            return (snapshot, warnings)
        } catch {
            throw DataSourceError(reason: .query, message: "unexpected answer from the NetBox API: \(error)")
        }
    }
}
