import ArgumentParser
import Foundation
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

    @Option(name: .long, help: ArgumentHelp(
        "Read NetBox through its REST API at this URL (NetBox 4.0+, without /api); the token comes from "
            + "NETBOX_TOKEN or --netbox-token-file, never from the command line.", valueName: "URL"))
    var netboxURL: String?

    @Option(name: .long, help: ArgumentHelp("File holding the NetBox API token (default: the NETBOX_TOKEN variable).",
                                            valueName: "FILE"))
    var netboxTokenFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --netbox-url: PEM file of the certificate authorities to trust for NetBox's certificate, instead of "
            + "the system's.", valueName: "FILE"))
    var caFile: String?

    @Option(name: .long, help: "Statement timeout for NetBox queries (with --netbox-url: per request), in seconds.")
    var statementTimeout: Int = 30

    func validate() throws {
        if [database != nil, data != nil, netboxURL != nil].filter({ $0 }).count > 1 {
            throw ValidationError("--database, --data and --netbox-url are exclusive: read NetBox from one source")
        }
        if netboxTokenFile != nil && netboxURL == nil {
            throw ValidationError("--netbox-token-file needs --netbox-url")
        }
        if let caFile {
            guard netboxURL != nil else { throw ValidationError("--ca-file needs --netbox-url") }
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw ValidationError("--ca-file \(caFile): not a readable file")
            }
        }
        if let netboxURL {
            guard let url = URL(string: netboxURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                  url.host != nil else {
                throw ValidationError("--netbox-url must be an http:// or https:// URL, such as https://netbox.example.com")
            }
        }
        if statementTimeout <= 0 {
            throw ValidationError("--statement-timeout must be a positive number of seconds")
        }
    }

    /// The source the command line names, nil when it names none (lint then checks without data).
    var explicitSource: DataSource? {
        data != nil || database != nil || netboxURL != nil ? source : nil
    }

    var source: DataSource {
        if let data { return .snapshotFile(data) }
        // validate() accepted it, so it parses.
        if let netboxURL, let url = URL(string: netboxURL) {
            return .netboxAPI(url: url, tokenFile: netboxTokenFile, timeout: .seconds(statementTimeout), caFile: caFile)
        }
        return .database(conninfo: database, statementTimeout: .seconds(statementTimeout))
    }
}
