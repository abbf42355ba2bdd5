import CLibPQ

/// Rows copied out of a libpq result (text format), so the PGresult can be freed at once.
struct QueryResult {
    let columns: [String]
    let rows: [Row]

    init(columns: [String], rows: [Row]) {
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
struct ColumnError: Error, CustomStringConvertible {
    let column: String
    let problem: String
    var description: String { "column \(column): \(problem)" }
}

/// One row with typed access by column name.
struct Row {
    let values: [String?]
    let columnIndex: [String: Int]

    /// The text of a column; nil for SQL NULL.
    func string(_ column: String) throws(ColumnError) -> String? {
        guard let index = columnIndex[column] else { throw ColumnError(column: column, problem: "not in the result") }
        return values[index]
    }

    func requiredString(_ column: String) throws(ColumnError) -> String {
        guard let text = try string(column) else { throw ColumnError(column: column, problem: "unexpected NULL") }
        return text
    }

    func int(_ column: String) throws(ColumnError) -> Int? {
        guard let text = try string(column) else { return nil }
        guard let value = Int(text) else { throw ColumnError(column: column, problem: "\"\(text)\" is not an integer") }
        return value
    }

    func requiredInt(_ column: String) throws(ColumnError) -> Int {
        guard let value = try int(column) else { throw ColumnError(column: column, problem: "unexpected NULL") }
        return value
    }

    /// PostgreSQL's text form of boolean is `t` / `f`.
    func bool(_ column: String) throws(ColumnError) -> Bool? {
        switch try string(column) {
        case nil: return nil
        case "t"?: return true
        case "f"?: return false
        case let other?: throw ColumnError(column: column, problem: "\"\(other)\" is not a boolean")
        }
    }
}
