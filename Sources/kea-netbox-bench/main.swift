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
if let folder = options.writeFiles {
    let layout = CompareBench.layout(size: options.reservations, seed: options.seed)
    do {
        try layout.snapshot().encoded().write(to: URL(fileURLWithPath: folder + "/snapshot.json"))
        try Data(BenchTemplates.dhcp4.utf8).write(to: URL(fileURLWithPath: folder + "/kea-dhcp4.conf.tmpl"))
        try Data(BenchTemplates.jinjaDhcp4.utf8).write(to: URL(fileURLWithPath: folder + "/kea-dhcp4.conf.j2"))
    } catch {
        FileHandle.standardError.write(Data("kea-netbox-bench: cannot write into \(folder): \(error)\n".utf8))
        exit(1)
    }
    print("\(folder): snapshot.json (\(layout)), kea-dhcp4.conf.tmpl, kea-dhcp4.conf.j2")
    exit(0)
}
if !options.sizes.isEmpty {
    do {
        guard let admin = ReadBench.adminConninfo(options) else {
            throw BenchFailure("no database: give --database CONNINFO or set KEA_NETBOX_TEST_PGHOST (scripts/bench does)")
        }
        guard let psql = Psql.locate(options.psql) else {
            throw BenchFailure("psql not found (apt-get install postgresql-client, or --psql PATH)")
        }
        let tools = try CompareTools.locate(options)
        let startLoad = CompareReport.machineLoad
        print("kea-netbox-bench: side by side at \(options.sizes.map(CompareReport.count).joined(separator: ", ")) reservations, \(options.compareRuns) rounds (\(options.largeRuns) at 1,000,000 and more); \(startLoad)")
        var rows: [CompareBench.Row] = []
        do {
            try CompareBench(options: options, tools: tools).run(adminConninfo: admin, psql: psql, into: &rows)
        } catch {
            CompareReport(rows: rows).printTable(load: "\(startLoad) at the start, \(CompareReport.machineLoad) at the failure")
            throw error
        }
        let report = CompareReport(rows: rows)
        report.printTable(load: "\(startLoad) at the start, \(CompareReport.machineLoad) at the end")
        print("")
        for target in report.targets { print("\(target.met ? "ok    " : "MISSED") \(target.name): \(target.text)") }
        exit(report.targets.allSatisfy(\.met) ? 0 : 1)
    } catch {
        FileHandle.standardError.write(Data("kea-netbox-bench: \(error)\n".utf8))
        exit(1)
    }
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
