import Foundation

/// The API token, from a file or `NETBOX_TOKEN`: never from the command line, where every user of the machine can
/// read it in the process list.
public enum NetBoxAPIToken {
    public static func load(file: String?, environment: [String: String]) throws(DataSourceError) -> String {
        let text: String
        if let file {
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw DataSourceError(reason: .permission, message: """
                    cannot read the NetBox API token file \(file): \((error as NSError).localizedFailureReason ?? "unreadable")
                    """)
            }
        } else if let value = environment["NETBOX_TOKEN"] {
            text = value
        } else {
            throw DataSourceError(reason: .permission, message: """
                no NetBox API token: put it in NETBOX_TOKEN or in a file named by --netbox-token-file
                """)
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw DataSourceError(reason: .permission, message: """
                the NetBox API token \(file.map { "in \($0)" } ?? "in NETBOX_TOKEN") is empty or holds blanks: it \
                should be the token alone, on one line
                """)
        }
        return token
    }
}
