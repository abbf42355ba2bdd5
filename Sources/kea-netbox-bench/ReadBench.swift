import Foundation
import NetBox

/// NetBox read: a fresh database with the 4.x fixture schema and generated hosts, `PostgresReader.read()` against
/// psql copying the same rows to /dev/null.
struct ReadBench {
    let options: Options
    let layout: Layout
    let adminConninfo: String
    let psql: Psql

    /// Where the bench database is created: `--database`, else the test cluster scripts/test and scripts/bench
    /// start (KEA_NETBOX_TEST_PGHOST, user postgres); nil when neither is there.
    static func adminConninfo(_ options: Options) -> String? {
        if let database = options.database { return database }
        guard let host = ProcessInfo.processInfo.environment["KEA_NETBOX_TEST_PGHOST"], !host.isEmpty else { return nil }
        return "host='\(host)' user=postgres dbname=postgres"
    }

    func run(_ report: inout Report) throws {
        let (database, fillSeconds) = try BenchDatabase.create(
            "kea_netbox_bench_\(getpid())", layout: layout, options: options, adminConninfo: adminConninfo, psql: psql)
        defer { database.drop() }
        let conninfo = database.conninfo
        report.add("load database", fillSeconds,
                   "4.x fixture + \(layout.count) hosts, set-based\(options.netBoxIndexes ? ", NetBox's indexes" : ", fixture only (no NetBox indexes)")")

        // The reader and psql's COPY of the same queries alternate, best of N each, so that load from other
        // processes on the machine hits both alike. Process start and connection are in both timings.
        let reader = PostgresReader(conninfo: conninfo, statementTimeout: .seconds(600))
        let queries = ReadBench.readerQueries
        let copyArguments = ["-1"] + PostgresReader.transactionSettings.flatMap { ["-c", $0] }
            + queries.flatMap { ["-c", "\\copy (\(ReadBench.oneLine($0.sql))) to /dev/null"] }
        var readSeconds = Double.infinity, copySeconds = Double.infinity
        var read: (snapshot: Snapshot, warnings: [DataWarning])? = nil
        var copied: Psql.Result? = nil
        Measure.resetPeak()
        for _ in 0..<options.readRuns {
            read = nil
            let (result, seconds) = try Measure.time { () throws -> (snapshot: Snapshot, warnings: [DataWarning]) in
                do {
                    return try reader.read()
                } catch {
                    throw BenchFailure("PostgresReader.read() failed: \(error)")
                }
            }
            read = result
            readSeconds = min(readSeconds, seconds)
            let (copy, copyTime) = try Measure.time {
                try psql.check(conninfo: conninfo, copyArguments, doing: "copy the reader's queries", quiet: false)
            }
            copied = copy
            copySeconds = min(copySeconds, copyTime)
        }
        let readPeak = Measure.peakRSS()
        guard let read, let copied else { throw BenchFailure("no read ran") }
        report.add("PostgresReader.read()", readSeconds,
                   "\(read.snapshot.reservations.count) reservations, \(read.snapshot.prefixes.count) prefixes, \(read.snapshot.ipRanges.count) ranges, \(read.warnings.count) warnings, peak RSS \(Format.megabytes(readPeak))")
        guard read.snapshot.reservations.count == layout.count else {
            throw BenchFailure("the reader returned \(read.snapshot.reservations.count) reservations, expected \(layout.count)\(read.warnings.first.map { "; first warning: \($0)" } ?? "")")
        }
        compare(read.snapshot, with: layout.snapshot(), report: &report)

        let counts = copied.output.split(separator: "\n").compactMap { line -> Int? in
            line.hasPrefix("COPY ") ? Int(line.dropFirst(5)) : nil
        }
        report.add("psql \\copy (same queries)", copySeconds,
                   "rows per query: \(zip(queries.map(\.label), counts).map { "\($0) \($1)" }.joined(separator: ", "))")
        guard counts.count == queries.count, counts[0] + counts[1] == layout.count else {
            throw BenchFailure("psql copied \(counts) rows, expected \(layout.count) reservation rows")
        }
        let (_, connectSeconds) = try Measure.best(of: options.runs) {
            try psql.check(conninfo: conninfo, ["-c", "SELECT 1"], doing: "connect")
        }
        report.add("  psql start + connect", connectSeconds, "included in the line above")

        // The production path: `kea-netbox install --database` without Kea.
        let pipeline = try PipelineBench(runs: options.runs)
            .run(source: .database(conninfo: conninfo, statementTimeout: .seconds(600)))
        report.add("install --database, new file", pipeline.newFile,
                   "2 templates (2 reads), check none, reload none, peak RSS \(Format.megabytes(pipeline.peakRSS))")
        report.add("install --database, unchanged", pipeline.unchanged, "")

        let ratio = readSeconds / copySeconds
        report.target("read vs COPY", met: ratio <= options.readTargetRatio,
                      "\(Format.seconds(readSeconds)) vs \(Format.seconds(copySeconds)) = \(Format.ratio(ratio)) (target <= \(Format.ratio(options.readTargetRatio)))")
        report.summary.append(String(format: "read: %.2f s vs psql COPY %.2f s (%.1fx, target <= %gx); install --database %.2f s",
                                     readSeconds, copySeconds, ratio, options.readTargetRatio, pipeline.newFile))
    }

    /// The read snapshot should be exactly the generated one: both come from the same formulas.
    private func compare(_ read: Snapshot, with expected: Snapshot, report: inout Report) {
        if read.reservations != expected.reservations {
            let pair = zip(read.reservations, expected.reservations).first { $0 != $1 }
            report.note("the reservations read from the database differ from the generated ones\(pair.map { ": read \($0.0), generated \($0.1)" } ?? "")")
        }
        if read.prefixes != expected.prefixes || read.ipRanges != expected.ipRanges {
            report.note("the prefixes or IP ranges read from the database differ from the generated ones")
        }
    }
}

extension ReadBench {
    /// The SQL `PostgresReader.read()` runs against the bench database (the 4.x fixture: NetBox 4.2+), taken from
    /// the reader itself so that psql copies exactly the reader's statements.
    static var readerQueries: [(label: String, sql: String)] { PostgresReader.queries(for: .netbox42) }

    /// psql's `\copy` takes the rest of its line: the query on one line.
    static func oneLine(_ sql: String) -> String {
        sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
