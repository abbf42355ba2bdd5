import Foundation
import NetBox

/// The side-by-side run (issue 11): at each size, whole processes as an operator's timer would start them —
/// kea-netbox render from a snapshot, Python with Jinja2 rendering the same template translated to Jinja syntax
/// from the same JSON, kea-netbox from the database, psql's COPY of the same rows (the floor), `install --data`
/// and `kea-dhcp4 -t` on the result. Wall time, CPU time and peak RSS of each (medians over the rounds), the
/// outputs checked equal, the ratios and the targets.
struct CompareBench {
    let options: Options
    let tools: CompareTools

    /// One measured step of a round.
    struct Sample {
        let wall: Double
        let cpu: Double
        let peakRSS: Int
        let peakRSSIsBound: Bool
    }

    /// The medians of one step at one size.
    struct Row {
        let size: Int
        let step: Step
        let wall: Double
        let cpu: Double
        let peakRSS: Int
        /// The largest round's peak is the bench's own resident size, an upper bound (see ChildProcess.Usage).
        let peakRSSIsBound: Bool
        /// Each round's wall time, in round order: a round runs every step once, side by side.
        let rounds: [Double]

        /// "123 MB", or "≤ 83 MB" for a bound.
        var peakText: String {
            String(format: "%@%.0f MB", peakRSSIsBound ? "≤ " : "", Double(peakRSS) / 1_048_576)
        }
    }

    enum Step: String, CaseIterable {
        case render = "kea-netbox render --data"
        case jinja = "Python + Jinja2 (same template, same JSON)"
        case renderDatabase = "kea-netbox render --database"
        case readDatabase = "kea-netbox render --database, empty template (the read)"
        case snapshotDatabase = "kea-netbox snapshot --database"
        case copy = "psql \\copy of the reader's queries (one transaction)"
        case installNew = "kea-netbox install --data, new file (check none)"
        case installUnchanged = "kea-netbox install --data, unchanged"
        case keaCheck = "kea-dhcp4 -t on the result"
        case processStart = "kea-netbox --version (process start)"
        case installDataSettled = "kea-netbox install --data, unchanged, files settled (stamps compared)"
        case installDatabaseUnchanged = "kea-netbox install --database, unchanged (probe says nothing changed)"

        var isKeaNetbox: Bool { ![.jinja, .copy, .keaCheck].contains(self) }

        /// The runs an unchanged timer makes: nothing in them may grow with the data.
        var isUnchangedRun: Bool { [.installDataSettled, .installDatabaseUnchanged].contains(self) }
    }

    /// Appends the rows of each size as it is done, so that a failure later still leaves the earlier ones.
    func run(adminConninfo: String, psql: Psql, into rows: inout [Row]) throws {
        for size in options.sizes {
            let layout = CompareBench.layout(size: size, seed: options.seed)
            print("\(layout): loading the database …")
            let (database, fillSeconds) = try BenchDatabase.create(
                "kea_netbox_bench_\(getpid())_\(size)", layout: layout, options: options, adminConninfo: adminConninfo,
                psql: psql)
            defer { database.drop() }
            let rounds = size >= 1_000_000 ? options.largeRuns : options.compareRuns
            print(String(format: "  loaded in %.1f s; %d rounds", fillSeconds, rounds))
            rows += try measure(size: size, rounds: rounds, conninfo: database.conninfo, psql: psql)
        }
    }

    private func measure(size: Int, rounds: Int, conninfo: String, psql: Psql) throws -> [Row] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let template = folder.path + "/kea-dhcp4.conf.tmpl"
        let emptyTemplate = folder.path + "/empty.tmpl"
        let jinjaTemplate = folder.path + "/kea-dhcp4.conf.j2"
        try Data(BenchTemplates.dhcp4.utf8).write(to: URL(fileURLWithPath: template))
        try Data("{ }\n".utf8).write(to: URL(fileURLWithPath: emptyTemplate))
        try Data(BenchTemplates.jinjaDhcp4.utf8).write(to: URL(fileURLWithPath: jinjaTemplate))
        let snapshot = folder.path + "/snapshot.json"
        let fromData = folder.path + "/render-data.conf", fromJinja = folder.path + "/render-jinja.conf"
        let fromDatabase = folder.path + "/render-database.conf"
        func keaNetbox(_ arguments: [String]) -> ChildProcess {
            ChildProcess(executable: tools.keaNetbox, arguments: arguments)
        }
        // A million rows on a loaded machine take longer than the default 30 s statement timeout.
        let database = ["--database", conninfo, "--statement-timeout", "1800"]
        let copyArguments = ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", conninfo,
                             "-c", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"]
            + PostgresReader.transactionSettings.flatMap { ["-c", $0] }
            + ReadBench.readerQueries.flatMap { ["-c", "\\copy (\(ReadBench.oneLine($0.sql))) to /dev/null"] }

        var samples: [Step: [Sample]] = [:]
        func measure(_ step: Step, _ process: ChildProcess) throws {
            let usage = try process.check("\(step.rawValue) at \(size)", in: folder)
            samples[step, default: []].append(Sample(wall: usage.wall, cpu: usage.cpu, peakRSS: usage.peakRSS,
                                                     peakRSSIsBound: usage.peakRSSIsBound))
            print(String(format: "  %-62@ %7.3f s wall %7.3f s CPU %@%6.0f MB", step.rawValue as NSString,
                         usage.wall, usage.cpu, usage.peakRSSIsBound ? "≤" : " ", Double(usage.peakRSS) / 1_048_576))
        }
        // The file a timer's `install --database` keeps up to date: installed once, then every round's run finds
        // the probe's mark, the template and the installed file as they were (what an idle NetBox gives).
        let databaseInstall = ["install", template, "--output", folder.path + "/database/kea-dhcp4.conf",
                               "--check", "none", "--reload", "none", "--backup-dir", folder.path + "/database/backups"]
            + database
        try FileManager.default.createDirectory(atPath: folder.path + "/database", withIntermediateDirectories: false)
        _ = try keaNetbox(databaseInstall).check("install --database, first install at \(size)", in: folder)
        try settle(since: .now, then: keaNetbox(databaseInstall), in: folder, size: size)
        for round in 0..<rounds {
            let install = folder.path + "/install-\(round)"
            try FileManager.default.createDirectory(atPath: install, withIntermediateDirectories: false)
            let installArguments = ["install", template, "--output", install + "/kea-dhcp4.conf", "--data", snapshot,
                                    "--check", "none", "--reload", "none", "--backup-dir", install + "/backups"]
            // Each round runs every step once, in this order, so that load from other processes hits all alike.
            let steps: [(Step, ChildProcess)] = [
                (.snapshotDatabase, keaNetbox(["snapshot"] + database + ["--output", snapshot])),
                (.copy, ChildProcess(executable: psql.executable, arguments: copyArguments)),
                (.readDatabase, keaNetbox(["render", emptyTemplate] + database)),
                (.renderDatabase, keaNetbox(["render", template] + database + ["--output", fromDatabase])),
                (.render, keaNetbox(["render", template, "--data", snapshot, "--output", fromData])),
                (.jinja, ChildProcess(executable: tools.python, arguments: [tools.jinjaScript, snapshot, jinjaTemplate, fromJinja])),
                (.installNew, keaNetbox(installArguments)),
                // --full: the unchanged render is compared with the installed file, not skipped by the inputs check.
                (.installUnchanged, keaNetbox(installArguments + ["--full"])),
                (.keaCheck, ChildProcess(executable: tools.keaDhcp4, arguments: ["-t", fromData])),
            ]
            var installed = ContinuousClock.now
            for (step, process) in steps {
                try measure(step, process)
                if step == .installNew { installed = .now }
            }
            try settle(since: installed, then: keaNetbox(installArguments), in: folder, size: size)
            try measure(.installDataSettled, keaNetbox(installArguments))
            try measure(.installDatabaseUnchanged, keaNetbox(databaseInstall))
            try measure(.processStart, keaNetbox(["--version"]))
            if round == 0 { try checkOutputs(kea: fromData, jinja: fromJinja, database: fromDatabase, size: size) }
            try? FileManager.default.removeItem(atPath: install)
        }
        return Step.allCases.compactMap { step in
            guard let list = samples[step], !list.isEmpty else { return nil }
            let largest = list.max { $0.peakRSS < $1.peakRSS }
            return Row(size: size, step: step, wall: CompareBench.median(list.map(\.wall)),
                       cpu: CompareBench.median(list.map(\.cpu)), peakRSS: largest?.peakRSS ?? 0,
                       peakRSSIsBound: largest?.peakRSSIsBound ?? false, rounds: list.map(\.wall))
        }
    }

    /// Waits until the files written at `since` are older than the stamps' settle time, then runs `process` once
    /// unmeasured: the first unchanged run after an install reads and hashes the files and records their stamps,
    /// the runs after it (a timer's, minutes later) compare stamps only.
    private func settle(since: ContinuousClock.Instant, then process: ChildProcess, in folder: TemporaryFolder,
                        size: Int) throws {
        let ready = since + .milliseconds(2_100)
        if ready > .now { Thread.sleep(forTimeInterval: Measure.seconds(ready - .now)) }
        _ = try process.check("unchanged install (recording the stamps) at \(size)", in: folder)
    }

    /// The three renders must agree byte for byte, else the comparison compares different work.
    private func checkOutputs(kea: String, jinja: String, database: String, size: Int) throws {
        let fromData = try Data(contentsOf: URL(fileURLWithPath: kea))
        let fromJinja = try Data(contentsOf: URL(fileURLWithPath: jinja))
        let fromDatabase = try Data(contentsOf: URL(fileURLWithPath: database))
        guard fromData == fromJinja else {
            let at = zip(fromData, fromJinja).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(fromData.count, fromJinja.count)
            let context = { (data: Data) in String(decoding: data[max(0, at - 80)..<min(data.count, at + 80)], as: UTF8.self) }
            throw BenchFailure("at \(size): Jinja2's output differs from kea-netbox's at byte \(at):\nkea-netbox: …\(context(fromData))…\nJinja2:     …\(context(fromJinja))…")
        }
        guard fromData == fromDatabase else {
            throw BenchFailure("at \(size): the render from the database differs from the render of its snapshot")
        }
        let hosts = String(decoding: fromData, as: UTF8.self).split(separator: "\n").filter { $0.contains("\"hw-address\"") }.count
        guard hosts == size else { throw BenchFailure("at \(size): the rendered config has \(hosts) reservations") }
        print("  outputs equal: kea-netbox (snapshot), Jinja2, kea-netbox (database): \(Format.size(fromData.count)), \(hosts) reservations")
    }

    /// IPv4 only, 200 hosts per /24, each /24 with one IP range (the shape of the measurements).
    static func layout(size: Int, seed: Int) -> Layout {
        Layout(count: size, v6Fraction: 0, v4Subnets: (size + 199) / 200, v6Subnets: 1, seed: seed)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// The programs the side-by-side run starts.
struct CompareTools {
    let keaNetbox: String
    let python: String
    let jinjaScript: String
    let keaDhcp4: String

    static func locate(_ options: Options) throws -> CompareTools {
        let ownFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        guard let keaNetbox = options.keaNetbox ?? [ownFolder + "/kea-netbox"].first(where: FileManager.default.isExecutableFile) else {
            throw BenchFailure("kea-netbox not found beside kea-netbox-bench (swift build -c release), or give --kea-netbox PATH")
        }
        guard let python = options.python, FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchFailure("--python PATH: a Python with Jinja2 3.x is needed (scripts/bench makes a venv)")
        }
        guard let script = BenchFiles.locate("benchmarks/jinja-render.py") else {
            throw BenchFailure("benchmarks/jinja-render.py not found (run from the package folder)")
        }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin"
        guard let kea = path.split(separator: ":").map({ "\($0)/kea-dhcp4" }).first(where: FileManager.default.isExecutableFile) else {
            throw BenchFailure("kea-dhcp4 not found (apt-get install kea-dhcp4-server)")
        }
        return CompareTools(keaNetbox: keaNetbox, python: python, jinjaScript: script, keaDhcp4: kea)
    }
}
