import Foundation

/// Wall-clock timing and memory readings from /proc (Linux).
enum Measure {
    /// Runs `body` once and returns its result with the elapsed wall time in seconds.
    static func time<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
        let start = ContinuousClock.now
        let result = try body()
        return (result, seconds(ContinuousClock.now - start))
    }

    /// Runs `body` `runs` times and keeps the fastest run (the least disturbed by other work on the machine).
    static func best<T>(of runs: Int, _ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
        var best = try time(body)
        for _ in 1..<max(1, runs) {
            let next = try time(body)
            if next.seconds < best.seconds { best = next }
        }
        return best
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Peak resident set size (VmHWM) in bytes since the process started or since the last `resetPeak()`.
    static func peakRSS() -> Int? { statusField("VmHWM:") }

    /// Current resident set size (VmRSS) in bytes.
    static func currentRSS() -> Int? { statusField("VmRSS:") }

    /// Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs, Linux >= 4.0), so that each phase
    /// reports its own peak. Returns false when the kernel refuses; the peak then covers every earlier phase.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    private static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}

/// Human-readable quantities for the result table.
enum Format {
    static func seconds(_ value: Double) -> String { String(format: "%.3f s", value) }
    static func megabytes(_ bytes: Int?) -> String {
        guard let bytes else { return "n/a" }
        return String(format: "%.0f MB", Double(bytes) / 1_048_576)
    }
    static func size(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
    static func ratio(_ value: Double) -> String { String(format: "%.2fx", value) }
}
