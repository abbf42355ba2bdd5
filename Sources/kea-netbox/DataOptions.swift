import ArgumentParser
import KeaNetbox

/// Where NetBox data comes from, shared by every subcommand that reads it.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "libpq connection string or postgresql:// URI of the NetBox database (default: libpq's PG* environment, "
            + "service file and ~/.pgpass). Keep passwords in ~/.pgpass or PGPASSFILE, not here.",
        valueName: "CONNINFO"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp("Read NetBox data from a snapshot file (\"-\": standard input).",
                                            valueName: "SNAPSHOT"))
    var data: String?

    @Option(name: .long, help: "Statement timeout for NetBox queries, in seconds.")
    var statementTimeout: Int = 30

    func validate() throws {
        if database != nil && data != nil {
            throw ValidationError("--database and --data are exclusive: read NetBox from one source")
        }
        if statementTimeout <= 0 {
            throw ValidationError("--statement-timeout must be a positive number of seconds")
        }
    }

    /// The source the command line names, nil when it names none (lint then checks without data).
    var explicitSource: DataSource? {
        data != nil || database != nil ? source : nil
    }

    var source: DataSource {
        if let data { return .snapshotFile(data) }
        return .database(conninfo: database, statementTimeout: .seconds(statementTimeout))
    }
}
