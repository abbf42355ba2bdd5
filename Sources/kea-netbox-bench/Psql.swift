import Foundation

/// Runs the psql client: to set up the bench database (fixtures and generated data) and as the baseline the
/// reader is compared with (`\copy (query) to /dev/null`).
struct Psql {
    let executable: String

    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// `--psql PATH`, else `psql` on PATH, else the newest /usr/lib/postgresql/*/bin/psql.
    static func locate(_ explicit: String?) -> Psql? {
        let fileManager = FileManager.default
        if let explicit { return fileManager.isExecutableFile(atPath: explicit) ? Psql(executable: explicit) : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where fileManager.isExecutableFile(atPath: "\(folder)/psql") {
            return Psql(executable: "\(folder)/psql")
        }
        let versions = (try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { $0.compare($1, options: .numeric) == .orderedDescending })
        where fileManager.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/psql") {
            return Psql(executable: "/usr/lib/postgresql/\(version)/bin/psql")
        }
        return nil
    }

    /// psql without ~/.psqlrc, stopping at the first error. Output goes to temporary files, not pipes, so a
    /// chatty run can never block on a full pipe.
    func run(conninfo: String, _ arguments: [String], quiet: Bool = true) throws -> Result {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let outPath = folder.path + "/out", errPath = folder.path + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        guard let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            throw BenchFailure("cannot open temporary files for psql output")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-X", "-v", "ON_ERROR_STOP=1", "-d", conninfo] + (quiet ? ["-q"] : []) + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, output: output, errors: errors)
    }

    /// Like `run`, but a failure is an error naming what was being done.
    @discardableResult
    func check(conninfo: String, _ arguments: [String], doing what: String, quiet: Bool = true) throws -> Result {
        let result = try run(conninfo: conninfo, arguments, quiet: quiet)
        guard result.status == 0 else {
            throw BenchFailure("psql failed to \(what) (exit \(result.status)): \(result.errors.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result
    }

    /// The conninfo `base` pointed at another database: a keyword string gets a trailing `dbname=` (libpq keeps
    /// the last value of a repeated keyword); a URI gets its path replaced.
    static func conninfo(_ base: String, database: String) -> String {
        for scheme in ["postgresql://", "postgres://"] where base.hasPrefix(scheme) {
            let rest = base.dropFirst(scheme.count)
            let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
            let authorityEnd = rest[..<queryStart].firstIndex(of: "/") ?? queryStart
            return scheme + rest[..<authorityEnd] + "/" + database + rest[queryStart...]
        }
        return base + " dbname='\(database)'"
    }
}
