import CLibPQ

/// Rows copied out of a libpq result (text format), so the PGresult can be freed at once.
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [Row]

    public init(columns: [String], rows: [Row]) {
        self.columns = columns
        self.rows = rows
    }

    init(copying result: OpaquePointer) {
        let columnCount = Int(PQnfields(result))
        let names = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        let rowCount = Int(PQntuples(result))
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            let values: [String?] = (0..<columnCount).map { c in
                if PQgetisnull(result, Int32(r), Int32(c)) != 0 { return nil }
                return String(cString: PQgetvalue(result, Int32(r), Int32(c)))
            }
            rows.append(Row(values: values, columnIndex: index))
        }
        columns = names
        self.rows = rows
    }
}

/// Why a column could not be read: the query and the code disagree, which is a bug, not bad data.
public struct ColumnError: Error, Sendable, CustomStringConvertible {
    public let column: String
    public let problem: String
    /// The row holds a value kea-netbox refuses (not a query that returned something unexpected); `problem` then
    /// names the NetBox object.
    public var isRefusedValue = false
    public var description: String { isRefusedValue ? problem : "column \(column): \(problem)" }

    public init(column: String, problem: String, isRefusedValue: Bool = false) {
        self.column = column
        self.problem = problem
        self.isRefusedValue = isRefusedValue
    }
}

/// A column of a result, found by name once per query rather than once per field.
public struct Column: Sendable {
    public let name: String
    public let index: Int
}

extension QueryResult {
    /// The column called `name`. Callers that read many rows resolve their columns once with this.
    public func column(_ name: String) throws(ColumnError) -> Column {
        guard let index = columns.firstIndex(of: name) else { throw ColumnError(column: name, problem: "not in the result") }
        return Column(name: name, index: index)
    }
}

/// One row with typed access by column name, or by a `Column` resolved once per query.
public struct Row: Sendable {
    /// In column order, nil for SQL NULL.
    public let values: [String?]
    let columnIndex: [String: Int]

    private func column(_ name: String) throws(ColumnError) -> Column {
        guard let index = columnIndex[name] else { throw ColumnError(column: name, problem: "not in the result") }
        return Column(name: name, index: index)
    }

    /// The text of a column; nil for SQL NULL.
    public func string(_ column: Column) -> String? { values[column.index] }

    public func requiredString(_ column: Column) throws(ColumnError) -> String {
        guard let text = string(column) else { throw ColumnError(column: column.name, problem: "unexpected NULL") }
        return text
    }

    public func int(_ column: Column) throws(ColumnError) -> Int? {
        guard let text = string(column) else { return nil }
        guard let value = Int(text) else {
            throw ColumnError(column: column.name, problem: "\"\(text)\" is not an integer")
        }
        return value
    }

    public func requiredInt(_ column: Column) throws(ColumnError) -> Int {
        guard let value = try int(column) else { throw ColumnError(column: column.name, problem: "unexpected NULL") }
        return value
    }

    /// PostgreSQL's text form of boolean is `t` / `f`.
    public func bool(_ column: Column) throws(ColumnError) -> Bool? {
        switch string(column) {
        case nil: return nil
        case "t"?: return true
        case "f"?: return false
        case let other?: throw ColumnError(column: column.name, problem: "\"\(other)\" is not a boolean")
        }
    }

    public func string(_ name: String) throws(ColumnError) -> String? { string(try column(name)) }
    public func requiredString(_ name: String) throws(ColumnError) -> String { try requiredString(try column(name)) }
    public func int(_ name: String) throws(ColumnError) -> Int? { try int(try column(name)) }
    public func requiredInt(_ name: String) throws(ColumnError) -> Int { try requiredInt(try column(name)) }
    public func bool(_ name: String) throws(ColumnError) -> Bool? { try bool(try column(name)) }
}

extension QueryResult {
    /// A result made of text values in PostgreSQL's text forms, not read from a server: the NetBox API reader turns
    /// API answers into the rows of the reader's SQL this way, so one decoder serves both sources.
    public init(columns: [String], values: [[String?]]) {
        var index: [String: Int] = [:]
        for (i, name) in columns.enumerated() where index[name] == nil { index[name] = i }
        self.init(columns: columns, rows: values.map { Row(values: $0, columnIndex: index) })
    }
}
