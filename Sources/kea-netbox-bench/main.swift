import Foundation

// kea-netbox-bench: render and NetBox-read speed and memory on generated data. See Options.usage.
let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("kea-netbox-bench: \(error.message)\n\(Options.usage)\n".utf8))
    exit(64)
}
if options.printQueries {
    for (label, sql) in ReadBench.readerQueries { print("-- \(label)\n\(sql);\n") }
    exit(0)
}
let layout = options.layout
var report = Report()
print("kea-netbox-bench: \(layout), best of \(options.runs) runs")
do {
    if !options.skipRender {
        print("render:")
        try RenderBench(options: options, layout: layout).run(&report)
    }
    if !options.skipRead {
        print("NetBox read:")
        if let admin = ReadBench.adminConninfo(options) {
            guard let psql = Psql.locate(options.psql) else {
                throw BenchFailure("psql not found (apt-get install postgresql-client, or --psql PATH)")
            }
            try ReadBench(options: options, layout: layout, adminConninfo: admin, psql: psql).run(&report)
        } else if options.requireDatabase {
            throw BenchFailure("no database: give --database CONNINFO or set KEA_NETBOX_TEST_PGHOST (scripts/bench does)")
        } else {
            report.note("read bench skipped: no --database and no KEA_NETBOX_TEST_PGHOST (scripts/bench starts a cluster)")
        }
    }
    if options.hosts {
        print("hosts sync:")
        guard let host = ProcessInfo.processInfo.environment["KEA_NETBOX_TEST_PGHOST"], let psql = Psql.locate(options.psql) else {
            throw BenchFailure("--hosts needs the test cluster (KEA_NETBOX_TEST_PGHOST, set by scripts/bench) and psql")
        }
        try HostsBench(options: options, layout: layout, host: host, psql: psql).run(&report)
    }
} catch {
    report.printTable()
    FileHandle.standardError.write(Data("kea-netbox-bench: \(error)\n".utf8))
    exit(1)
}
report.printTable()
exit(report.allTargetsMet ? 0 : 1)
