import Foundation

/// `hosts sync`: makes the hosts kea-netbox manages in Kea's host database equal to the rendered ones, in one
/// transaction, with the checks, guard, lock and dry run of `install` (DESIGN §8). Kea reads the host tables at
/// lookup time, so nothing is reloaded.
///
/// Order: connect, check the schema, begin and take the advisory lock (`begin()`, before NetBox is read, so two
/// runs never commit in the opposite order of their reads); then `HostSyncSession.sync`: check the rendered hosts
/// (and the `--config` files), read the managed hosts, diff, guard, refuse clashes with hosts kea-netbox did not
/// create, then write (or, in a dry run, roll back) and commit.
public struct HostSync: Sendable, CustomStringConvertible {
    public struct Options: Sendable, CustomStringConvertible {
        /// Private and out of `description`: it may hold a password.
        private let conninfo: String?
        /// Kea configuration files whose subnets the hosts' subnet ids must name.
        public var configFiles: [String] = []
        public var maxRemovedFraction: Double = 0.5
        public var force = false
        public var dryRun = false
        public var lockTimeout: Duration = .seconds(60)
        /// When the run began (so reading and rendering count in the summary's time).
        public var startedAt: ContinuousClock.Instant? = nil

        /// `conninfo`: a libpq keyword string or URI; nil uses libpq's environment (PGHOST, PGSERVICE, ~/.pgpass).
        public init(conninfo: String?) {
            self.conninfo = conninfo
        }

        var connection: String? { conninfo }

        public var description: String { "HostSync.Options(configFiles: \(configFiles), dryRun: \(dryRun), force: \(force))" }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public var description: String { "HostSync(\(options))" }

    /// Connects, checks Kea's schema, begins the transaction and takes the lock. Nothing is written until the
    /// session's `sync`; a session dropped without it rolls back.
    public func begin() throws(HostSyncError) -> HostSyncSession {
        let start = options.startedAt ?? ContinuousClock.now
        let database = try KeaHostDatabase(conninfo: options.connection)
        try database.begin(lockTimeout: options.lockTimeout)
        return HostSyncSession(options: options, database: database, start: start)
    }
}

/// One hosts sync holding the database's lock (from `HostSync.begin()`).
public final class HostSyncSession {
    let options: HostSync.Options
    private let database: KeaHostDatabase
    private let start: ContinuousClock.Instant
    private var finished = false

    init(options: HostSync.Options, database: KeaHostDatabase, start: ContinuousClock.Instant) {
        self.options = options
        self.database = database
        self.start = start
    }

    deinit {
        if !finished { database.rollback() }
    }

    /// `rendered` is the hosts document; `file` names it in messages. Call once.
    public func sync(_ rendered: String, file: String) throws(HostSyncError) -> HostSyncReport {
        defer { if !finished { database.rollback(); finished = true } }
        var configs: [ConfigDocument] = []
        for path in options.configFiles {
            let bytes: [UInt8]?
            do {
                bytes = try AtomicFile.read(path)
            } catch {
                throw .database("cannot read --config \(path): \(error)")
            }
            guard let bytes else { throw .database("--config \(path) does not exist") }
            do {
                configs.append(try ConfigDocument.parse(bytes: bytes, file: path))
            } catch {
                throw .rejected(.syntax(error))
            }
        }
        let document: HostDocument
        do {
            document = try HostDocument.read(rendered, file: file, configs: configs)
        } catch {
            throw .rejected(error)
        }
        let families = Set(document.reservations.keys)
        let rendered = document.reservations.keys.sorted { $0.rawValue < $1.rawValue }.flatMap { document.reservations[$0] ?? [] }

        let stored = try database.managedHosts(of: families)
        let changes = HostChanges(stored: stored, rendered: rendered)
        let hosts4 = document.reservations[.v4]?.count ?? stored.keys.filter { $0.family == .v4 }.count
        let hosts6 = document.reservations[.v6]?.count ?? stored.keys.filter { $0.family == .v6 }.count
        func report(_ action: HostSyncReport.Action, diff: String? = nil, written: Duration? = nil) -> HostSyncReport {
            HostSyncReport(action: action, added: changes.added.count, removed: changes.removed.count,
                           changed: changes.changed.count, hosts4: hosts4, hosts6: hosts6,
                           schemaVersion: database.schema.text, diff: diff, warnings: document.warnings,
                           writeElapsed: written, elapsed: ContinuousClock.now - start)
        }
        if changes.isEmpty { return report(.unchanged, diff: options.dryRun ? "" : nil) }

        do {
            try RemovalGuard(maxRemovedFraction: options.maxRemovedFraction, force: options.force)
                .check(installed: stored.count, removed: changes.removed.count, remaining: rendered.count,
                       wording: .init(new: "the rendered hosts document", installed: "Kea's host database",
                                      items: "hosts created by kea-netbox"))
        } catch {
            throw .rejected(error)
        }
        let conflicts = try database.foreignConflicts(with: changes.added + changes.changed.map(\.new))
        if !conflicts.isEmpty {
            throw .rejected(.rejected("""
                Kea's host database already holds hosts kea-netbox did not create with the same identifier or address:
                \(conflicts.joined(separator: "\n"))
                kea-netbox never changes hosts it did not create: remove them from the database, or these reservations from NetBox or the template
                """))
        }
        if options.dryRun { return report(.dryRun, diff: changes.diff()) }
        let writeStart = ContinuousClock.now
        try database.apply(changes)
        try database.commit()
        finished = true
        return report(.synced, written: ContinuousClock.now - writeStart)
    }
}
