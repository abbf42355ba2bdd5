import PostgreSQL

/// Kea's PostgreSQL host tables (`kea-admin db-init pgsql`): reads the hosts kea-netbox created and writes
/// changes to them, all inside one transaction held under an advisory lock.
///
/// Only rows whose `user_context` starts with `HostDocument.mark` are read, updated or deleted; the mark is
/// matched as a text prefix so that other tools' rows (whose user_context may not even be JSON) are never parsed.
final class KeaHostDatabase {
    /// Every kea-netbox writing to one host database takes this transaction-level advisory lock ("keaNtbx1"), so
    /// two servers of an HA pair syncing from timers never interleave, wherever they run.
    static let lockKey: Int64 = 7_738_698_524_294_019_121

    private let connection: PostgresConnection
    let schema: KeaHostSchema

    /// A host read from the database with its row id.
    struct Stored {
        let id: Int
        let host: HostReservation
    }

    init(conninfo: String?) throws(HostSyncError) {
        do {
            connection = try PostgresConnection(conninfo: conninfo)
        } catch {
            throw .connection("""
                cannot connect to Kea's host database: \(error.message)
                (check --kea-database: a libpq keyword string or postgresql:// URI; passwords belong in ~/.pgpass or a service file)
                """)
        }
        let result: QueryResult
        do {
            result = try connection.execute("SELECT version, minor FROM schema_version")
        } catch {
            if error.sqlState == "42P01" {
                throw .schema("the database has no Kea schema (no schema_version table): create it with `kea-admin db-init pgsql -h HOST -u USER -n NAME`, then grant the kea-netbox role SELECT, INSERT, UPDATE, DELETE on hosts, dhcp4_options, dhcp6_options, ipv6_reservations and USAGE on their sequences")
            }
            throw Self.failure(error, doing: "read Kea's schema_version")
        }
        guard let row = result.rows.first, let version = try? row.requiredInt("version"),
              let minor = try? row.requiredInt("minor") else {
            throw .schema("Kea's schema_version table is empty: the schema was not created completely; run `kea-admin db-init pgsql` on an empty database")
        }
        if let problem = KeaHostSchema.problem(version: version, minor: minor) { throw .schema(problem) }
        schema = KeaHostSchema(version: version, minor: minor)
    }

    // MARK: transaction

    func begin(lockTimeout: Duration) throws(HostSyncError) {
        try run("BEGIN", doing: "start a transaction")
        let milliseconds = lockTimeout.postgresMilliseconds
        try run("SET LOCAL lock_timeout = \(milliseconds)", doing: "set the lock timeout")
        do {
            try connection.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
        } catch {
            if error.sqlState == "55P03" {
                throw .lockTimeout("another kea-netbox hosts sync holds the lock on this host database; gave up after \(lockTimeout)")
            }
            throw Self.failure(error, doing: "take the hosts sync lock")
        }
        // The lock wait is over; the statements that follow get their own, longer limit.
        try run("SET LOCAL lock_timeout = 0", doing: "reset the lock timeout")
    }

    func commit() throws(HostSyncError) { try run("COMMIT", doing: "commit") }

    func rollback() { _ = try? connection.execute("ROLLBACK") }

    // MARK: reading

    func managedHosts(of families: Set<KeaFamily>) throws(HostSyncError) -> [HostReservation.Key: Stored] {
        let mark = HostDocument.mark + "%"
        let hosts = try query("""
            SELECT host_id, encode(dhcp_identifier, 'hex') AS identifier, dhcp_identifier_type AS type,
                   dhcp4_subnet_id, dhcp6_subnet_id, ipv4_address, hostname, dhcp4_client_classes,
                   dhcp6_client_classes, dhcp4_next_server, dhcp4_server_hostname, dhcp4_boot_file_name, user_context
            FROM hosts WHERE user_context LIKE $1
            """, [mark], doing: "read the hosts kea-netbox manages")
        var options: [KeaFamily: [Int: [HostOption]]] = [:]
        for family in families {
            let table = family == .v4 ? "dhcp4_options" : "dhcp6_options"
            let rows = try query("""
                SELECT o.host_id, o.code, o.space, encode(o.value, 'hex') AS value, o.formatted_value, o.persistent
                FROM \(table) o JOIN hosts h ON h.host_id = o.host_id
                WHERE h.user_context LIKE $1 ORDER BY o.host_id, o.option_id
                """, [mark], doing: "read the options of the hosts kea-netbox manages")
            try decode(doing: "read host options") { () throws(ColumnError) in
                for row in rows.rows {
                    let value = try row.string("value").flatMap { $0.isEmpty ? nil : HostIdentifierType.bytes(hex: $0) }
                    let formatted = try row.string("formatted_value").flatMap { $0.isEmpty ? nil : $0 }
                    let option = HostOption(code: try row.requiredInt("code"),
                                            space: try row.string("space").flatMap { $0.isEmpty ? nil : $0 } ?? family.serviceName,
                                            formattedValue: formatted, value: value,
                                            persistent: try row.bool("persistent") ?? false)
                    options[family, default: [:]][try row.requiredInt("host_id"), default: []].append(option)
                }
            }
        }
        var ipv6: [Int: [IPv6Reservation]] = [:]
        if families.contains(.v6) {
            let rows = try query("""
                SELECT r.host_id, host(r.address::inet) AS address, r.prefix_len, r.type
                FROM ipv6_reservations r JOIN hosts h ON h.host_id = r.host_id WHERE h.user_context LIKE $1
                """, [mark], doing: "read the IPv6 reservations of the hosts kea-netbox manages")
            try decode(doing: "read IPv6 reservations") { () throws(ColumnError) in
                for row in rows.rows {
                    guard let address = InetAddress(try row.requiredString("address")) else {
                        throw ColumnError(column: "address", problem: "not an IPv6 address")
                    }
                    ipv6[try row.requiredInt("host_id"), default: []].append(
                        IPv6Reservation(address: address, prefixLength: try row.requiredInt("prefix_len"), type: try row.requiredInt("type")))
                }
            }
        }

        var stored: [HostReservation.Key: Stored] = [:]
        stored.reserveCapacity(hosts.rows.count)
        try decode(doing: "read hosts") { () throws(ColumnError) in
            let columns = try HostColumns(hosts)
            for row in hosts.rows {
                let subnet4 = try row.int(columns.subnet4), subnet6 = try row.int(columns.subnet6)
                let family: KeaFamily
                let subnet: Int
                if let subnet4 { (family, subnet) = (.v4, subnet4) } else if let subnet6 { (family, subnet) = (.v6, subnet6) } else { continue }
                guard families.contains(family) else { continue }
                let id = try row.requiredInt(columns.id)
                guard let type = HostIdentifierType(rawValue: try row.requiredInt(columns.type)),
                      let identifier = HostIdentifierType.bytes(hex: try row.requiredString(columns.identifier)) else {
                    throw ColumnError(column: "dhcp_identifier", problem: "unknown identifier type or bytes in host_id \(id)")
                }
                func nonEmpty(_ column: Column) -> String? { row.string(column).flatMap { $0.isEmpty ? nil : $0 } }
                func address(_ column: Column) throws(ColumnError) -> UInt32? {
                    guard let value = try row.int(column), value > 0, value <= Int(UInt32.max) else { return nil }
                    return UInt32(value)
                }
                let key = HostReservation.Key(family: family, subnetID: Int64(subnet), identifierType: type, identifier: identifier)
                let host = HostReservation(
                    key: key, ipv4Address: family == .v4 ? try address(columns.ipv4) : nil,
                    ipv6: (ipv6[id] ?? []).sorted(), hostname: nonEmpty(columns.hostname),
                    clientClasses: nonEmpty(family == .v4 ? columns.classes4 : columns.classes6),
                    nextServer: try address(columns.nextServer), serverHostname: nonEmpty(columns.serverHostname),
                    bootFileName: nonEmpty(columns.bootFileName), userContext: row.string(columns.userContext) ?? "",
                    options: options[family]?[id] ?? [])
                stored[key] = Stored(id: id, host: host)
            }
        }
        return stored
    }

    /// Hosts kea-netbox did not create that hold one of these identities or addresses: inserting beside them would
    /// fail on Kea's unique index, or give one address to two clients.
    func foreignConflicts(with hosts: [HostReservation]) throws(HostSyncError) -> [String] {
        guard !hosts.isEmpty else { return [] }
        let json = HostRows.identities(hosts)
        let result = try query("""
            WITH r AS (SELECT * FROM json_to_recordset($1::json)
                       AS r(identifier text, type smallint, subnet4 bigint, subnet6 bigint, ipv4 bigint, ipv6 text))
            SELECT DISTINCT h.host_id, r.identifier, r.type, r.subnet4, r.subnet6, 'identity' AS what
              FROM r JOIN hosts h ON h.dhcp_identifier = decode(r.identifier, 'hex') AND h.dhcp_identifier_type = r.type
                   AND (h.dhcp4_subnet_id = r.subnet4 OR h.dhcp6_subnet_id = r.subnet6)
              WHERE h.user_context IS NULL OR h.user_context NOT LIKE $2
            UNION ALL
            SELECT DISTINCT h.host_id, r.identifier, r.type, r.subnet4, r.subnet6, 'address ' || (r.ipv4 >> 24) || '.' ||
                   (r.ipv4 >> 16 & 255) || '.' || (r.ipv4 >> 8 & 255) || '.' || (r.ipv4 & 255) AS what
              FROM r JOIN hosts h ON h.dhcp4_subnet_id = r.subnet4 AND h.ipv4_address = r.ipv4
              WHERE r.ipv4 IS NOT NULL AND (h.user_context IS NULL OR h.user_context NOT LIKE $2)
            UNION ALL
            SELECT DISTINCT h.host_id, r.identifier, r.type, r.subnet4, r.subnet6, 'address ' || r.ipv6 AS what
              FROM r CROSS JOIN LATERAL unnest(string_to_array(r.ipv6, ',')) AS a(address)
                   JOIN ipv6_reservations v ON v.address = a.address\(schema.ipv6AddressIsInet ? "::inet" : "")
                   JOIN hosts h ON h.host_id = v.host_id AND h.dhcp6_subnet_id = r.subnet6
              WHERE r.ipv6 IS NOT NULL AND (h.user_context IS NULL OR h.user_context NOT LIKE $2)
            ORDER BY 1 LIMIT 20
            """, [json, HostDocument.mark + "%"], doing: "look for hosts kea-netbox did not create")
        return result.rows.map { row in
            let family = row.values[3] != nil ? "DHCPv4 subnet \(row.values[3] ?? "")" : "DHCPv6 subnet \(row.values[4] ?? "")"
            let type = row.values[2].flatMap { Int($0) }.flatMap(HostIdentifierType.init(rawValue:))?.keyword ?? "identifier"
            let identifier = row.values[1].flatMap(HostIdentifierType.bytes(hex:)).map { HostIdentifierType.hex($0) } ?? "?"
            return "host_id \(row.values[0] ?? "?") (\(row.values[5] ?? "")) for \(family) \(type) \(identifier)"
        }
    }

    // MARK: writing

    func apply(_ changes: HostChanges) throws(HostSyncError) {
        let replaced = changes.changed.map(\.stored.id)
        if !changes.removed.isEmpty {
            try run("DELETE FROM hosts WHERE host_id = ANY($1::int[])", [HostRows.idArray(changes.removed.map(\.id))],
                    doing: "delete hosts")
        }
        if !changes.changed.isEmpty {
            try run("""
                UPDATE hosts AS h SET ipv4_address = r.ipv4, hostname = r.hostname, dhcp4_client_classes = r.classes4,
                       dhcp6_client_classes = r.classes6, dhcp4_next_server = r.next_server,
                       dhcp4_server_hostname = r.server_hostname, dhcp4_boot_file_name = r.boot_file_name,
                       user_context = r.user_context
                FROM json_to_recordset($1::json) AS r(host_id int, ipv4 bigint, hostname text, classes4 text,
                     classes6 text, next_server bigint, server_hostname text, boot_file_name text, user_context text)
                WHERE h.host_id = r.host_id
                """, [HostRows.hosts(changes.changed.map { ($0.stored.id, $0.new) })], doing: "update hosts")
            let ids = HostRows.idArray(replaced)
            try run("DELETE FROM dhcp4_options WHERE host_id = ANY($1::int[])", [ids], doing: "replace host options")
            try run("DELETE FROM dhcp6_options WHERE host_id = ANY($1::int[])", [ids], doing: "replace host options")
            try run("DELETE FROM ipv6_reservations WHERE host_id = ANY($1::int[])", [ids], doing: "replace IPv6 reservations")
        }
        var ids: [HostReservation.Key: Int] = [:]
        for change in changes.changed { ids[change.new.key] = change.stored.id }
        if !changes.added.isEmpty {
            let inserted = try query("""
                INSERT INTO hosts (dhcp_identifier, dhcp_identifier_type, dhcp4_subnet_id, dhcp6_subnet_id, ipv4_address,
                                   hostname, dhcp4_client_classes, dhcp6_client_classes, dhcp4_next_server,
                                   dhcp4_server_hostname, dhcp4_boot_file_name, user_context)
                SELECT decode(r.identifier, 'hex'), r.type, r.subnet4, r.subnet6, r.ipv4, r.hostname, r.classes4,
                       r.classes6, r.next_server, r.server_hostname, r.boot_file_name, r.user_context
                FROM json_to_recordset($1::json) AS r(identifier text, type smallint, subnet4 bigint, subnet6 bigint,
                     ipv4 bigint, hostname text, classes4 text, classes6 text, next_server bigint,
                     server_hostname text, boot_file_name text, user_context text)
                RETURNING host_id, encode(dhcp_identifier, 'hex') AS identifier, dhcp_identifier_type AS type,
                          dhcp4_subnet_id, dhcp6_subnet_id
                """, [HostRows.hosts(changes.added.map { (nil, $0) })], doing: "insert hosts")
            try decode(doing: "insert hosts") { () throws(ColumnError) in
                for row in inserted.rows {
                    let subnet4 = try row.int("dhcp4_subnet_id")
                    let subnet6 = try row.int("dhcp6_subnet_id")
                    guard let type = HostIdentifierType(rawValue: try row.requiredInt("type")),
                          let identifier = HostIdentifierType.bytes(hex: try row.requiredString("identifier")),
                          let subnet = subnet4 ?? subnet6 else {
                        throw ColumnError(column: "host_id", problem: "an inserted host came back unreadable")
                    }
                    let key = HostReservation.Key(family: subnet4 != nil ? .v4 : .v6, subnetID: Int64(subnet),
                                                  identifierType: type, identifier: identifier)
                    ids[key] = try row.requiredInt("host_id")
                }
            }
        }
        let written = changes.added + changes.changed.map(\.new)
        for family in [KeaFamily.v4, .v6] {
            let rows = HostRows.options(written.filter { $0.key.family == family }, ids: ids)
            guard let rows else { continue }
            let table = family == .v4 ? "dhcp4_options" : "dhcp6_options"
            let classes = schema.optionsHaveClientClasses ? ", client_classes" : ""
            let noClasses = schema.optionsHaveClientClasses ? ", '[  ]'" : ""
            try run("""
                INSERT INTO \(table) (code, value, formatted_value, space, persistent, host_id, scope_id\(classes))
                SELECT r.code, decode(r.value, 'hex'), r.formatted_value, r.space, r.persistent, r.host_id, 3\(noClasses)
                FROM json_to_recordset($1::json) AS r(code int, value text, formatted_value text, space text,
                     persistent boolean, host_id int)
                """, [rows], doing: "insert host options")
        }
        if let rows = HostRows.ipv6(written.filter { $0.key.family == .v6 }, ids: ids) {
            let address = schema.ipv6AddressIsInet ? "r.address::inet" : "r.address"
            try run("""
                INSERT INTO ipv6_reservations (address, prefix_len, type, host_id)
                SELECT \(address), r.prefix_len, r.type, r.host_id
                FROM json_to_recordset($1::json) AS r(address text, prefix_len smallint, type smallint, host_id int)
                """, [rows], doing: "insert IPv6 reservations")
        }
    }

    // MARK: plumbing

    private struct HostColumns {
        let id, identifier, type, subnet4, subnet6, ipv4, hostname, classes4, classes6, nextServer, serverHostname,
            bootFileName, userContext: Column

        init(_ result: QueryResult) throws(ColumnError) {
            id = try result.column("host_id")
            identifier = try result.column("identifier")
            type = try result.column("type")
            subnet4 = try result.column("dhcp4_subnet_id")
            subnet6 = try result.column("dhcp6_subnet_id")
            ipv4 = try result.column("ipv4_address")
            hostname = try result.column("hostname")
            classes4 = try result.column("dhcp4_client_classes")
            classes6 = try result.column("dhcp6_client_classes")
            nextServer = try result.column("dhcp4_next_server")
            serverHostname = try result.column("dhcp4_server_hostname")
            bootFileName = try result.column("dhcp4_boot_file_name")
            userContext = try result.column("user_context")
        }
    }

    private func run(_ sql: String, _ parameters: [String?] = [], doing what: String) throws(HostSyncError) {
        _ = try query(sql, parameters, doing: what)
    }

    private func query(_ sql: String, _ parameters: [String?] = [], doing what: String) throws(HostSyncError) -> QueryResult {
        do {
            return try connection.execute(sql, parameters)
        } catch {
            throw Self.failure(error, doing: what)
        }
    }

    private func decode(doing what: String, _ body: () throws(ColumnError) -> Void) throws(HostSyncError) {
        do {
            try body()
        } catch {
            throw .database("cannot \(what): unexpected content in Kea's host tables, \(error)")
        }
    }

    private static func failure(_ error: PostgresError, doing what: String) -> HostSyncError {
        switch error.sqlState {
        case "42501"?:
            return .database("cannot \(what) in Kea's host database: \(error.message); the role needs SELECT, INSERT, UPDATE, DELETE on hosts, dhcp4_options, dhcp6_options, ipv6_reservations and USAGE on their sequences")
        case nil, "08000"?, "08003"?, "08006"?, "57P01"?:
            return .connection("cannot \(what) in Kea's host database: \(error.message)")
        default:
            return .database("cannot \(what) in Kea's host database: \(error)")
        }
    }
}
