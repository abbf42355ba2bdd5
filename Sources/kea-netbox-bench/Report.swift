/// The result table and the targets, printed at the end.
struct Report {
    struct Line {
        let phase: String
        let seconds: Double?
        let detail: String
    }

    struct Target {
        let name: String
        let met: Bool
        let text: String
    }

    private(set) var lines: [Line] = []
    private(set) var targets: [Target] = []
    private(set) var notes: [String] = []
    /// Pieces of the one-line summary.
    var summary: [String] = []

    mutating func add(_ phase: String, _ seconds: Double?, _ detail: String = "") {
        lines.append(Line(phase: phase, seconds: seconds, detail: detail))
        // Progress as it happens: the whole bench takes a while.
        let time = seconds.map(Format.seconds) ?? "-"
        print("  \(phase): \(time)\(detail.isEmpty ? "" : "  (\(detail))")")
    }

    mutating func target(_ name: String, met: Bool, _ text: String) {
        targets.append(Target(name: name, met: met, text: text))
    }

    mutating func note(_ text: String) {
        notes.append(text)
        print("  note: \(text)")
    }

    var allTargetsMet: Bool { targets.allSatisfy(\.met) }

    func printTable() {
        guard !lines.isEmpty || !notes.isEmpty else { return }
        let width = max(5, lines.map(\.phase.count).max() ?? 0)
        func pad(_ text: String, _ count: Int) -> String { text + String(repeating: " ", count: max(0, count - text.count)) }
        func padLeft(_ text: String, _ count: Int) -> String {
            String(repeating: " ", count: max(0, count - text.count)) + text
        }
        print("")
        print("\(pad("phase", width))  \(padLeft("time", 9))  detail")
        print(String(repeating: "-", count: width + 30))
        for line in lines {
            print("\(pad(line.phase, width))  \(padLeft(line.seconds.map(Format.seconds) ?? "-", 9))  \(line.detail)")
        }
        if !targets.isEmpty {
            print("")
            for target in targets {
                print("\(target.met ? "ok    " : "MISSED") \(target.name): \(target.text)")
            }
        }
        for note in notes { print("note: \(note)") }
        print("")
        print(summary.joined(separator: "; "))
    }
}
