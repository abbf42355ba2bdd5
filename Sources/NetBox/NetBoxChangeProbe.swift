/// Tells cheaply whether anything the reader reads may have changed since an earlier mark: the database's
/// `ChangeProbe` (one query) or the API's `NetBoxAPIChangeProbe` (a few requests). Equal marks with the same
/// `base` mean no change seen; `install` skips an unchanged run and `watch` waits for a change with it.
public protocol NetBoxChangeProbe: Sendable {
    /// The mark now. `base` is the one of the mark to compare with; nil starts a series (a new base is chosen).
    func mark(base: Int64?) throws(DataSourceError) -> ChangeMark
    /// Drops a held connection (the next probe opens a new one).
    func disconnect()
}

extension ChangeProbe: NetBoxChangeProbe {}
