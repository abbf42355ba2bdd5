import Foundation

/// The CPU time a process group has used, from /proc (Linux): the check command runs in its own group, and a shell
/// (`--check 'sh -c …'`) may do its work in children, so every member counts, and children already reaped through
/// their parent's totals.
enum ProcessGroupCPU {
    /// Clock ticks (user + system, own and reaped children's) of every process in group `group`; nil when /proc
    /// cannot be read.
    static func ticks(ofGroup group: pid_t) -> UInt64? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        var total: UInt64 = 0
        for entry in entries where entry.first?.isNumber == true {
            guard let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let fields = fields(of: text), fields.count > 14, Int32(fields[2]) == group else { continue }
            // After the command name: state(0) ppid(1) pgrp(2) … utime(11) stime(12) cutime(13) cstime(14).
            for index in 11...14 { total &+= UInt64(fields[index]) ?? 0 }
        }
        return total
    }

    /// The fields after the command name, which is in parentheses and may itself hold blanks and parentheses.
    private static func fields(of stat: String) -> [Substring]? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }
}
