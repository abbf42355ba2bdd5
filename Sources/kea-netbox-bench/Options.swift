import Foundation

/// Command line of `kea-netbox-bench`.
struct Options {
    var reservations = 100_000
    var v6Fraction = 0.2
    var v4Subnets = 400
    var v6Subnets = 40
    var seed = 1
    var runs = 3
    /// Rounds of the side-by-side run below 1,000,000 reservations: 5, or `--runs` when given.
    var compareRuns = 5
    var readRuns = 5
    var database: String? = nil
    var skipRender = false
    var skipRead = false
    var requireDatabase = false
    var netBoxIndexes = true
    var keepDatabase = false
    var fixtures: String? = nil
    var psql: String? = nil
    var keaCheck = false
    var hosts = false
    var printQueries = false
    /// Sizes of the side-by-side run (`--sizes`); empty: the in-process phase bench.
    var sizes: [Int] = []
    var keaNetbox: String? = nil
    var python: String? = nil
    var writeFiles: String? = nil
    /// Rounds of the side-by-side run at 1,000,000 reservations and more (each takes minutes on a shared machine).
    var largeRuns = 3
    /// Targets for 100,000 reservations; scaled linearly above that.
    var renderTargetSeconds = 1.0
    var renderTargetMB = 300.0
    var readTargetRatio = 2.0

    static let usage = """
        usage: kea-netbox-bench --sizes N,N,… --python PATH [--runs N] [options]   (side by side, whole processes)
               kea-netbox-bench [options]                                          (in-process phases)
          --sizes N,N,…         side by side at these reservation counts (IPv4 only, 200 per /24 with a range):
                                kea-netbox render --data, Python + Jinja2 on the same JSON (outputs checked
                                equal), render --database, psql COPY of the same rows, snapshot --database,
                                install --data, kea-dhcp4 -t; medians of --runs rounds (default 5); the targets'
                                ratios are each round's, their median; needs a database
          --python PATH         the Python that has Jinja2 3.x (scripts/bench makes a venv)
          --kea-netbox PATH     the kea-netbox to time (default: beside kea-netbox-bench)
          --large-runs N        rounds at 1,000,000 reservations and more (default 3; --runs for the smaller sizes)
          --write-files DIR     write the side-by-side run's snapshot (--reservations N), kea-netbox template and
                                Jinja2 template into DIR and exit: for profiling a single render (callgrind)
          --reservations N      reservations to generate (default 100000)
          --v6-fraction F       share of IPv6 reservations (default 0.2)
          --v4-subnets N        IPv4 /24 prefixes (default 400; more when N needs them)
          --v6-subnets N        IPv6 /64 prefixes (default 40)
          --seed N              changes the generated MAC addresses (default 1)
          --runs N              timed runs per measurement, best kept (default 3; side by side: rounds, default 5)
          --read-runs N         rounds of the reader vs psql comparison, the two alternating so that load from
                                other processes hits both alike; best of each kept (default 5)
          --database CONNINFO   PostgreSQL to create the bench database in (default: the test cluster in
                                KEA_NETBOX_TEST_PGHOST, as user postgres); the user needs CREATEDB
          --require-database    fail instead of skipping the read bench when no database is given
          --skip-render | --skip-read
          --no-netbox-indexes   read from the bare test fixture, without the indexes NetBox creates
          --keep-database       do not drop the bench database afterwards (prints its name)
          --fixtures DIR        folder with netbox-4.x.sql and helpers.sql (default Tests/NetBoxTests/Fixtures)
          --psql PATH           psql binary (default: PATH, then /usr/lib/postgresql/*/bin)
          --print-queries       print the reader's SQL that psql copies (for EXPLAIN ANALYZE) and exit
          --kea-check           also time `kea-dhcp4 -t` / `kea-dhcp6 -t` on the rendered files (informational)
          --hosts               also time `hosts sync` into a `kea-admin db-init pgsql` database in the test cluster
                                (KEA_NETBOX_TEST_PGHOST): first sync, unchanged sync, one host changed
          --render-target S     render target in seconds per 100,000 reservations (default 1)
          --rss-target MB       render peak RSS target in MB per 100,000 reservations (default 300)
          --read-target R       reader time / psql COPY time target (default 2)
        Exit status: 0 all targets met, 1 a target missed or the bench failed, 64 usage error.
        """

    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws(UsageError) -> String {
            guard let next = iterator.next() else { throw UsageError("\(flag) needs a value") }
            return next
        }
        func int(_ flag: String, min: Int) throws(UsageError) -> Int {
            let text = try value(flag)
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number >= min else {
                throw UsageError("\(flag): expected an integer >= \(min), got \"\(text)\"")
            }
            return number
        }
        func double(_ flag: String, range: ClosedRange<Double>) throws(UsageError) -> Double {
            let text = try value(flag)
            guard let number = Double(text), range.contains(number) else {
                throw UsageError("\(flag): expected a number in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
            }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--reservations", "-n": options.reservations = try int(argument, min: 1)
            case "--v6-fraction": options.v6Fraction = try double(argument, range: 0...1)
            case "--v4-subnets": options.v4Subnets = try int(argument, min: 1)
            case "--v6-subnets": options.v6Subnets = try int(argument, min: 1)
            case "--seed": options.seed = try int(argument, min: 0)
            case "--runs":
                options.runs = try int(argument, min: 1)
                options.compareRuns = options.runs
            case "--read-runs": options.readRuns = try int(argument, min: 1)
            case "--database": options.database = try value(argument)
            case "--require-database": options.requireDatabase = true
            case "--skip-render": options.skipRender = true
            case "--skip-read": options.skipRead = true
            case "--no-netbox-indexes": options.netBoxIndexes = false
            case "--keep-database": options.keepDatabase = true
            case "--fixtures": options.fixtures = try value(argument)
            case "--psql": options.psql = try value(argument)
            case "--kea-check": options.keaCheck = true
            case "--hosts": options.hosts = true
            case "--print-queries": options.printQueries = true
            case "--render-target": options.renderTargetSeconds = try double(argument, range: 0.001...1e6)
            case "--rss-target": options.renderTargetMB = try double(argument, range: 1...1e7)
            case "--read-target": options.readTargetRatio = try double(argument, range: 0.01...1e6)
            case "--sizes":
                let text = try value(argument)
                let sizes = text.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "")) }
                guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                    throw UsageError("--sizes: expected counts like 10000,100000, got \"\(text)\"")
                }
                options.sizes = sizes.compactMap { $0 }
            case "--python": options.python = try value(argument)
            case "--write-files": options.writeFiles = try value(argument)
            case "--large-runs": options.largeRuns = try int(argument, min: 1)
            case "--kea-netbox": options.keaNetbox = try value(argument)
            case "--help", "-h":
                print(usage)
                exit(0)
            default: throw UsageError("unknown option \(argument)")
            }
        }
        for size in options.sizes where size > 200 * 65_536 {
            throw UsageError("--sizes: \(size) is more than the generated address plan (10.0.0.0/8) holds")
        }
        let layout = options.layout
        guard layout.v4Subnets <= 65_536, layout.v6Subnets <= 65_536, layout.perV6Subnet <= 0xffff - 0x1000 else {
            throw UsageError("too many reservations for the generated address plan (10.0.0.0/8, 2001:db8:0:0-ffff::/64)")
        }
        return options
    }

    var layout: Layout {
        Layout(count: reservations, v6Fraction: v6Fraction, v4Subnets: v4Subnets, v6Subnets: v6Subnets, seed: seed)
    }

    /// Targets grow linearly with the data above 100,000 reservations.
    var scale: Double { max(1, Double(reservations) / 100_000) }
}

struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
