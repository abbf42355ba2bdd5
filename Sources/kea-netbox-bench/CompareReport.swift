import Foundation

/// The side-by-side table (Markdown, so it can go into benchmarks/README.md as printed), the ratios and the
/// targets of issue 11.
struct CompareReport {
    let rows: [CompareBench.Row]

    private func row(_ size: Int, _ step: CompareBench.Step) -> CompareBench.Row? {
        rows.first { $0.size == size && $0.step == step }
    }

    private func ratio(_ row: CompareBench.Row) -> String {
        func against(_ step: CompareBench.Step, _ label: String) -> String {
            guard let base = self.row(row.size, step), base.wall > 0 else { return "" }
            return String(format: "%.2fx %@", row.wall / base.wall, label)
        }
        switch row.step {
        case .render: return ""
        case .jinja: return against(.render, "kea-netbox render --data")
        case .renderDatabase, .readDatabase, .snapshotDatabase: return against(.copy, "psql COPY")
        case .copy: return ""
        case .installNew, .installUnchanged, .keaCheck: return against(.render, "render --data")
        case .processStart: return ""
        case .installDataSettled, .installDatabaseUnchanged: return against(.processStart, "process start")
        }
    }

    func printTable(load: String) {
        print("")
        print("| reservations | step | wall | CPU | peak RSS | ratio (wall) |")
        print("|---:|---|---:|---:|---:|---|")
        for row in rows {
            print(String(format: "| %@ | %@ | %.3f s | %.3f s | %@ | %@ |", CompareReport.count(row.size) as NSString,
                         row.step.rawValue as NSString, row.wall, row.cpu, row.peakText as NSString,
                         ratio(row) as NSString))
        }
        print("")
        print("Medians of the rounds; peak RSS is the largest of the rounds (≤: the child stayed below the bench's own resident size, which Linux reports for it). Load: \(load)")
    }

    /// The median over the rounds of `step`'s wall time over `base`'s in the same round. The steps of a round
    /// run one after the other, so a slow moment of the shared machine falls on both sides of a round's ratio;
    /// a ratio of the medians can pair a step's quiet round with its baseline's loaded one.
    func pairedRatio(_ size: Int, _ step: CompareBench.Step, over base: CompareBench.Step) -> Double? {
        guard let ours = row(size, step), let theirs = row(size, base), ours.rounds.count == theirs.rounds.count,
              !ours.rounds.isEmpty, !theirs.rounds.contains(where: { $0 <= 0 })
        else { return nil }
        return CompareBench.median(zip(ours.rounds, theirs.rounds).map { $0 / $1 })
    }

    /// The targets, each with whether it was met: at 100,000 the ratios (each round's, their median) and memory,
    /// at 1,000,000 memory, and linear growth between sizes ten times apart (medians).
    var targets: [(name: String, met: Bool, text: String)] {
        var targets: [(String, Bool, String)] = []
        func wall(_ size: Int, _ step: CompareBench.Step) -> Double? { row(size, step)?.wall }
        func medians(_ step: CompareBench.Step, _ base: CompareBench.Step) -> String {
            guard let a = wall(100_000, step), let b = wall(100_000, base), b > 0 else { return "" }
            return String(format: "; ratio of the medians %.2fx", a / b)
        }
        if let faster = pairedRatio(100_000, .jinja, over: .render) {
            targets.append(("render vs Jinja2 at 100,000", faster >= 8,
                            String(format: "%.1fx faster (median of the rounds' ratios%@; target >= 8x)", faster,
                                   medians(.jinja, .render) as NSString)))
        }
        if let read = pairedRatio(100_000, .readDatabase, over: .copy) {
            targets.append(("read vs psql COPY at 100,000", read <= 1.3,
                            String(format: "%.2fx (median of the rounds' ratios%@; target <= 1.3x)", read,
                                   medians(.readDatabase, .copy) as NSString)))
        }
        if let snapshot = pairedRatio(100_000, .snapshotDatabase, over: .copy) {
            targets.append(("snapshot --database vs psql COPY at 100,000", snapshot <= 1.6,
                            String(format: "%.2fx (median of the rounds' ratios%@; target <= 1.6x)", snapshot,
                                   medians(.snapshotDatabase, .copy) as NSString)))
        }
        for (size, limit) in [(100_000, 200.0), (1_000_000, 1536.0)] {
            let ours = rows.filter { $0.size == size && $0.step.isKeaNetbox }
            guard let largest = ours.max(by: { $0.peakRSS < $1.peakRSS }) else { continue }
            let megabytes = Double(largest.peakRSS) / 1_048_576
            targets.append(("peak memory at \(CompareReport.count(size))", megabytes < limit,
                            String(format: "%.0f MB (%@; target < %.0f MB)", megabytes, largest.step.rawValue as NSString, limit)))
        }
        // Issue 13: a timer's install when NetBox did not change is nearly free, and stays so as the data grows.
        for row in rows where row.step == .installDatabaseUnchanged && row.size >= 100_000 {
            targets.append(("unchanged install --database at \(CompareReport.count(row.size))", row.wall < 0.05,
                            String(format: "%.1f ms (target < 50 ms)", row.wall * 1000)))
        }
        let sizes = Set(rows.map(\.size)).sorted()
        for small in sizes {
            guard sizes.contains(small * 10) else { continue }
            for step in [CompareBench.Step.render, .renderDatabase, .snapshotDatabase, .installNew] {
                guard let a = wall(small, step), let b = wall(small * 10, step), a > 0 else { continue }
                targets.append(("linear: \(step.rawValue), \(CompareReport.count(small)) -> \(CompareReport.count(small * 10))",
                                b / a <= 11, String(format: "%.1fx the time for 10x the data (target <= 11x)", b / a)))
            }
        }
        return targets
    }

    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    /// The 1-, 5- and 15-minute load averages and the core count, for the record: the machine is shared.
    static var machineLoad: String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        let fields = text.split(separator: " ").prefix(3).joined(separator: " ")
        return "load average \(fields.isEmpty ? "unknown" : fields) on \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }
}
