import Foundation

/// A shipped template made runnable in a test folder: what a CI machine lacks (its interfaces, /run/kea,
/// /var/lib/kea, and for v6 a persisted server DUID) moved into the folder.
enum PortableTemplate {
    static func shipped(_ family: Int, in folder: TemporaryFolder) throws -> (template: URL, socket: String) {
        let socket = folder.url.appendingPathComponent("kea\(family).sock").path
        var text = try String(contentsOf: CommandRunner.repositoryRoot
            .appendingPathComponent("templates/kea-dhcp\(family).conf.tmpl"), encoding: .utf8)
        text = text.replacingOccurrences(of: #""interfaces": \[[^\]]*\]"#, with: #""interfaces": []"#, options: .regularExpression)
            .replacingOccurrences(of: "/run/kea/kea\(family)-ctrl-socket", with: socket)
            .replacingOccurrences(of: "/var/lib/kea/kea-leases\(family).csv", with: folder.url.appendingPathComponent("leases.csv").path)
            // kea-dhcp6 would otherwise persist its DUID under /var/lib/kea.
            .replacingOccurrences(of: #""Dhcp6": {"#, with: #""Dhcp6": { "server-id": { "type": "LLT", "persist": false },"#)
        return (try folder.write("kea-dhcp\(family).conf.tmpl", text), socket)
    }
}
