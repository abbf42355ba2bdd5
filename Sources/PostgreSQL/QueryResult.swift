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
        for r in 0..<rowCount { rows.append(Row(copying: result, row: r, columnIndex: index)) }
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
    public func column(_ name: String) throws(ColumnError) -> Column { try Column(name, in: columns) }
}

extension Column {
    /// The column called `name` among a result's `columns` (`QueryResult.columns`, `CopyStream.columns`).
    public init(_ name: String, in columns: [String]) throws(ColumnError) {
        guard let index = columns.firstIndex(of: name) else { throw ColumnError(column: name, problem: "not in the result") }
        self.init(name: name, index: index)
    }
}

/// One row with typed access by column name, or by a `Column` resolved once per query.
///
/// The fields' bytes sit back to back in one buffer (no String per field): the reader decodes integers,
/// addresses and JSON straight from them, and makes a String only for what a reservation keeps. A stream reuses
/// one row's storage for the next row when the caller has let go of it.
public struct Row: Sendable {
    /// Every non-NULL field's UTF-8 text, in column order, without separators.
    var text: [UInt8]
    /// Per column: where its text starts in `text` and how many bytes it has; a count of -1 is SQL NULL.
    var fields: [FieldSpan]
    let columnIndex: [String: Int]

    struct FieldSpan: Sendable {
        var start: Int32
        var count: Int32
        static let null = FieldSpan(start: 0, count: -1)
    }

    init(values: [String?], columnIndex: [String: Int]) {
        text = []
        fields = []
        self.columnIndex = columnIndex
        fields.reserveCapacity(values.count)
        for value in values {
            if let value { append(value.utf8) } else { fields.append(.null) }
        }
    }

    /// Row `row` of a libpq result, copied (text format).
    init(copying result: OpaquePointer, row: Int, columnIndex: [String: Int]) {
        let count = Int(PQnfields(result))
        text = []
        fields = []
        self.columnIndex = columnIndex
        fields.reserveCapacity(count)
        for c in 0..<count {
            if PQgetisnull(result, Int32(row), Int32(c)) != 0 {
                fields.append(.null)
                continue
            }
            let length = Int(PQgetlength(result, Int32(row), Int32(c)))
            let value = PQgetvalue(result, Int32(row), Int32(c))
            append(UnsafeRawBufferPointer(start: value, count: value == nil ? 0 : length).bindMemory(to: UInt8.self))
        }
    }

    /// An empty row of `columnIndex`'s result, to be filled field by field (`append`, `appendNull`).
    init(columnIndex: [String: Int], capacity: Int) {
        text = []
        text.reserveCapacity(capacity)
        fields = []
        fields.reserveCapacity(columnIndex.count)
        self.columnIndex = columnIndex
    }

    mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        fields.append(FieldSpan(start: Int32(text.count), count: Int32(bytes.count)))
        text.append(contentsOf: bytes)
    }

    mutating func removeAll() {
        text.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
    }

    private func column(_ name: String) throws(ColumnError) -> Column {
        guard let index = columnIndex[name] else { throw ColumnError(column: name, problem: "not in the result") }
        return Column(name: name, index: index)
    }

    /// In column order, nil for SQL NULL.
    public var values: [String?] { fields.indices.map { string(at: $0) } }

    private func string(at index: Int) -> String? {
        let span = fields[index]
        guard span.count >= 0 else { return nil }
        return text.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[Int(span.start)..<Int(span.start + span.count)]),
                   as: UTF8.self)
        }
    }

    /// Whether a column is SQL NULL.
    public func isNull(_ column: Column) -> Bool { fields[column.index].count < 0 }

    /// The UTF-8 bytes of a column (nil for SQL NULL), valid only inside `body`: for values parsed from their text
    /// (addresses, JSON) without making a String first.
    public func withBytes<T, Failure: Error>(
        _ column: Column, _ body: (UnsafeBufferPointer<UInt8>?) throws(Failure) -> T
    ) throws(Failure) -> T {
        let span = fields[column.index]
        guard span.count >= 0 else { return try body(nil) }
        return try text.withUnsafeBufferPointer { (all) throws(Failure) -> T in
            try body(UnsafeBufferPointer(rebasing: all[Int(span.start)..<Int(span.start + span.count)]))
        }
    }

    /// The text of a column; nil for SQL NULL.
    public func string(_ column: Column) -> String? { string(at: column.index) }

    public func requiredString(_ column: Column) throws(ColumnError) -> String {
        guard let text = string(column) else { throw ColumnError(column: column.name, problem: "unexpected NULL") }
        return text
    }

    /// Read from the bytes: an optional sign and decimal digits that fit an Int, as PostgreSQL prints integers.
    public func int(_ column: Column) throws(ColumnError) -> Int? {
        let parsed: Int?? = withBytes(column) { bytes -> Int?? in
            guard let bytes else { return .some(nil) }
            return Row.decimal(bytes).map { .some($0) }
        }
        switch parsed {
        case .some(let value): return value
        case .none:
            throw ColumnError(column: column.name, problem: "\"\(string(column) ?? "")\" is not an integer")
        }
    }

    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { index = 1 }
        guard index < bytes.count else { return nil }
        var value = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = negative ? times.subtractingReportingOverflow(Int(digit))
                : times.addingReportingOverflow(Int(digit))
            guard !overflowTimes, !overflowSum else { return nil }
            value = sum
            index += 1
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
