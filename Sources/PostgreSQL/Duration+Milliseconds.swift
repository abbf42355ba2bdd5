extension Duration {
    /// Whole milliseconds, at least 1, for PostgreSQL's `statement_timeout` and `lock_timeout` (0 would mean none).
    public var postgresMilliseconds: Int64 {
        max(1, components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
