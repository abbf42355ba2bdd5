import Foundation

/// A throwaway database holding the NetBox 4.x fixture schema and the hosts of a `Layout`: created next to the
/// admin connection's database, dropped by `drop()` unless kept.
struct BenchDatabase {
    let name: String
    let adminConninfo: String
    let psql: Psql
    let keep: Bool

    var conninfo: String { Psql.conninfo(adminConninfo, database: name) }

    /// Creates and fills the database; returns it with the seconds the fill took (insert, indexes, vacuum).
    static func create(_ name: String, layout: Layout, options: Options, adminConninfo: String,
                       psql: Psql) throws -> (database: BenchDatabase, fillSeconds: Double) {
        let fixtures = try fixtureFolder(options)
        try psql.check(conninfo: adminConninfo, ["-c", "CREATE DATABASE \(name)"], doing: "create the bench database")
        let database = BenchDatabase(name: name, adminConninfo: adminConninfo, psql: psql, keep: options.keepDatabase)
        do {
            let conninfo = database.conninfo
            try psql.check(conninfo: conninfo, ["-f", fixtures + "/netbox-4.x.sql", "-f", fixtures + "/helpers.sql"],
                           doing: "load the 4.x fixture")
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let fillPath = folder.path + "/fill.sql"
            try Data(DatabaseFiller(layout: layout).sql.utf8).write(to: URL(fileURLWithPath: fillPath))
            let (_, seconds) = try Measure.time {
                try psql.check(conninfo: conninfo, ["-f", fillPath], doing: "insert the generated hosts")
                if options.netBoxIndexes {
                    try psql.check(conninfo: conninfo, ["-c", DatabaseFiller.netBoxIndexes], doing: "create NetBox's indexes")
                }
                try psql.check(conninfo: conninfo, ["-c", "VACUUM (ANALYZE)"], doing: "vacuum")
            }
            return (database, seconds)
        } catch {
            database.drop()
            throw error
        }
    }

    func drop() {
        if keep {
            print("kept the bench database \(name)")
        } else if let dropped = try? psql.run(conninfo: adminConninfo, ["-c", "DROP DATABASE IF EXISTS \(name)"]),
                  dropped.status != 0 {
            FileHandle.standardError.write(Data("kea-netbox-bench: could not drop \(name): \(dropped.errors)".utf8))
        }
    }

    private static func fixtureFolder(_ options: Options) throws -> String {
        let candidates: [String?] = [
            options.fixtures,
            BenchFiles.packageRoot.map { $0 + "/Tests/NetBoxTests/Fixtures" },
            FileManager.default.currentDirectoryPath + "/Tests/NetBoxTests/Fixtures",
        ]
        let folders = candidates.compactMap { $0 }
        for folder in folders where FileManager.default.fileExists(atPath: folder + "/netbox-4.x.sql") {
            return folder
        }
        throw BenchFailure("netbox-4.x.sql not found in \(folders.joined(separator: " or ")); use --fixtures DIR")
    }
}

/// Files of the package the bench reads at run time (fixtures, the Jinja2 script).
enum BenchFiles {
    /// The package folder, from this file's place in it (Sources/kea-netbox-bench/BenchDatabase.swift).
    static var packageRoot: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        return FileManager.default.fileExists(atPath: root + "/Package.swift") ? root : nil
    }

    /// `relativePath` under the package folder, else under the current folder; nil when neither has it.
    static func locate(_ relativePath: String) -> String? {
        for base in [packageRoot, FileManager.default.currentDirectoryPath].compactMap({ $0 })
        where FileManager.default.fileExists(atPath: base + "/" + relativePath) {
            return base + "/" + relativePath
        }
        return nil
    }
}
