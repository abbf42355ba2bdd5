/// What the change probe saw: equal marks taken with the same `base` mean that nothing kea-netbox reads changed in
/// between, as far as NetBox's change log and PostgreSQL's table counters can tell (see `ChangeProbe`).
public struct ChangeMark: Codable, Sendable, Equatable {
    /// The change-log table (`core_objectchange`, `extras_objectchange`), nil when the database has none.
    public var changeLog: String?
    /// Change-log rows above this id are counted. Fixed by the first mark of a series (the newest row older than
    /// `ChangeProbe.window`) and passed to the later probes, so their counts compare.
    public var base: Int64
    /// Change-log rows with an id above `base`: grows when a transaction that took its id before `newest` commits
    /// late, which `newest` alone would not show.
    public var recent: Int64
    /// The newest change-log id.
    public var newest: Int64?
    /// Per table read, from the database: [rows inserted, updated, deleted], from PostgreSQL's statistics, which count
    /// every write, also raw SQL that bypasses NetBox and writes no change log. Per object type, from the API: what
    /// `NetBoxAPIChangeProbe` reads (newest id, count, newest `last_updated`).
    public var tables: [String: [Int64?]]

    public init(changeLog: String?, base: Int64, recent: Int64, newest: Int64?, tables: [String: [Int64?]]) {
        self.changeLog = changeLog
        self.base = base
        self.recent = recent
        self.newest = newest
        self.tables = tables
    }
}
