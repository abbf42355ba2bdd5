import Foundation
import Kea
import KeaNetbox
import NetBox
import Templating

/// `hosts sync` into a Kea host database made by `kea-admin db-init pgsql` in the test cluster: the first sync
/// (every host inserted), an unchanged sync, and a sync after one host moved (the operator's everyday case, which
/// needs no Kea reload at all).
struct HostsBench {
    let options: Options
    let layout: Layout
    let host: String
    let psql: Psql

    static let templatePath = "bench/kea-hosts.json.tmpl"
    static let template = #"""
    {
    {% for family in [4, 6] sep "," %}
      "Dhcp{{ family }}": { "subnet{{ family }}": [
    {% for p in prefixes(family=family) sep "," %}
        { "id": {{ p.id }}, "subnet": {{ p }}, "reservations": [
    {% for r in reservations(p) sep "," %}
    {% if family == 4 %}
          { "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }}, "hostname": {{ r.hostname }}, "user-context": { "netbox-ip-id": {{ r.ip_id }} } }
    {% else %}
          { "hw-address": {{ r.mac }}, "ip-addresses": [ {{ r.ip }} ], "hostname": {{ r.hostname }}, "user-context": { "netbox-ip-id": {{ r.ip_id }} } }
    {% endif %}
    {% endfor %}
        ] }
    {% endfor %}
      ] }
    {% endfor %}
    }
    """#

    func run(_ report: inout Report) throws {
        let name = "kea_netbox_hosts_bench_\(getpid())"
        let admin = "host='\(host)' user=postgres dbname=postgres"
        try psql.check(conninfo: admin, ["-c", "CREATE DATABASE \(name)"], doing: "create the host database")
        defer { _ = try? psql.run(conninfo: admin, ["-c", "DROP DATABASE IF EXISTS \(name)"]) }
        try keaAdminInit(name)

        let snapshot = layout.snapshot()
        let renderer = ConfigRenderer(snapshot: snapshot, loader: InMemoryLoader([Self.templatePath: Self.template]))
        let (rendered, renderSeconds) = try Measure.time { try renderer.render(templateAt: Self.templatePath).text }
        report.add("hosts: render", renderSeconds, "\(layout.count) reservations, \(Format.size(rendered.utf8.count))")

        let sync = HostSync(options: HostSync.Options(conninfo: Psql.conninfo(admin, database: name)))
        // kea-netbox's own CPU time beside the wall time: on a shared machine the wall time mostly measures the others.
        func cpuSeconds() -> Double {
            var now = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        }
        func timed(_ text: String) throws -> (HostSyncReport, Double, cpu: Double) {
            do {
                let start = ContinuousClock.now, cpu = cpuSeconds()
                let result = try sync.begin().sync(text, file: Self.templatePath)
                return (result, Measure.seconds(ContinuousClock.now - start), cpuSeconds() - cpu)
            } catch {
                throw BenchFailure("hosts sync failed: \(error)")
            }
        }
        let (first, firstSeconds, firstCPU) = try timed(rendered)
        guard first.added == layout.count else { throw BenchFailure("first sync: \(first.summaryLine)") }
        report.add("hosts sync, first (empty database)", firstSeconds,
                   "kea-netbox CPU \(Format.seconds(firstCPU)); \(first.summaryLine)")
        report.add("  of which writing + commit", first.writeElapsed.map(Measure.seconds), "100,000 hosts inserted in one transaction")

        var unchangedBest = (Double.infinity, 0.0)
        for _ in 0..<options.runs {
            let (again, seconds, cpu) = try timed(rendered)
            guard again.action == .unchanged else { throw BenchFailure("unchanged sync: \(again.summaryLine)") }
            if seconds < unchangedBest.0 { unchangedBest = (seconds, cpu) }
        }
        report.add("hosts sync, unchanged", unchangedBest.0,
                   "kea-netbox CPU \(Format.seconds(unchangedBest.1)); reads and compares every managed host, writes nothing")

        // One host moves: the first reserved IPv4 address goes to .250 of its /24, which the layout never uses.
        guard let range = rendered.range(of: #""ip-address": "10."#),
              let end = rendered[range.upperBound...].firstIndex(of: "\"") else {
            throw BenchFailure("no IPv4 reservation in the rendered hosts")
        }
        let old = "10." + rendered[range.upperBound..<end]
        let moved = old.split(separator: ".").prefix(3).joined(separator: ".") + ".250"
        var changeBest = (Double.infinity, 0.0)
        var writeBest = Double.infinity
        for run in 0..<options.runs {
            let text = rendered.replacingCharacters(in: range.lowerBound..<end,
                                                    with: #""ip-address": ""# + (run % 2 == 0 ? moved : old))
            let (changed, seconds, cpu) = try timed(text)
            guard changed.changed == 1, changed.added == 0, changed.removed == 0 else {
                throw BenchFailure("one-host change: \(changed.summaryLine)")
            }
            if seconds < changeBest.0 { changeBest = (seconds, cpu) }
            writeBest = min(writeBest, changed.writeElapsed.map(Measure.seconds) ?? .infinity)
        }
        report.add("hosts sync, one host changed", changeBest.0,
                   "kea-netbox CPU \(Format.seconds(changeBest.1)); \(old) <-> \(moved), no Kea reload")
        report.add("  of which writing + commit", writeBest, "one UPDATE (and its options) in one transaction")
    }

    private func keaAdminInit(_ name: String) throws {
        guard let keaAdmin = ["/usr/sbin/kea-admin", "/usr/local/sbin/kea-admin"].first(where: FileManager.default.isExecutableFile)
        else { throw BenchFailure("kea-admin not found (apt-get install kea-admin)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: keaAdmin)
        process.arguments = ["db-init", "pgsql", "-h", host, "-u", "postgres", "-n", name]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchFailure("kea-admin db-init pgsql failed for \(name)") }
    }
}
