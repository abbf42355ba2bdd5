import Diagnostics

/// A subnet as it is written in a configuration file: where its braces, members and reservations stand in the
/// file's own bytes, so `kea-netbox init` can add a NetBox lookup and an id without touching anything else.
public struct ConfigSubnetLayout: Sendable {
    /// A reservation written in the file, with what would make it collide with another one in the same subnet.
    public struct StaticReservation: Sendable {
        /// `hw-address`, `duid`, `client-id`, `circuit-id` or `flex-id`, and the value normalised as Kea compares it.
        public let identifier: (type: String, value: String)?
        /// `ip-address` (v4) or each of `ip-addresses` (v6).
        public let addresses: [String]
        /// Where its `{` is.
        public let location: SourceLocation
    }

    /// `Dhcp4.subnet4[2]` or `Dhcp4.shared-networks[0].subnet4[1]`.
    public let path: String
    /// The `subnet` text as written.
    public let subnet: String?
    public let id: Int64?
    /// Where the subnet's `{` is (the document, or an included file).
    public let location: SourceLocation
    public var file: String { location.file }
    /// Offsets into that file's bytes.
    public let open: Int
    public let close: Int
    /// The last significant byte before `close` (a `,` when the subnet ends with a trailing comma).
    public let lastSignificant: Int
    /// The offset of the first member's key (for its indentation).
    public let firstMember: Int?
    /// The `reservations` list: its brackets and last significant byte, when the subnet has one in the same file.
    public let reservations: (open: Int, close: Int, lastSignificant: Int)?
    /// The subnet has a `reservations` list, but not in its own file (`"reservations": <?include "hosts.json"?>`).
    public let reservationsElsewhere: Bool
    public let staticReservations: [StaticReservation]
}

extension ConfigDocument {
    /// Every subnet (`subnetN[]` and `shared-networks[].subnetN[]`), in Kea's reading order: shared networks first,
    /// then the top-level list (Kea 2.2 numbers subnets without an `id` in that order). `text` returns a file's bytes.
    public func subnetLayouts(text: (String) -> [UInt8]?) -> [ConfigSubnetLayout] {
        guard let family else { return [] }
        let entries = subnetEntries()
        let ordered = entries.filter { $0.path.contains("shared-networks") } + entries.filter { !$0.path.contains("shared-networks") }
        var scanners: [String: ConfigTextScanner] = [:]
        return ordered.compactMap { entry -> ConfigSubnetLayout? in
            let subnet = entry.value
            guard let members = subnet.objectMembers else { return nil }
            let (file, open) = sources.fileOffset(of: subnet.offset)
            if scanners[file] == nil, let bytes = text(file) { scanners[file] = ConfigTextScanner(bytes: bytes) }
            guard let scanner = scanners[file], let shape = scanner.container(openingAt: open) else { return nil }
            var reservations: (Int, Int, Int)?
            if let list = subnet["reservations"] {
                let (listFile, listOpen) = sources.fileOffset(of: list.offset)
                if listFile == file, let listShape = scanner.container(openingAt: listOpen) {
                    reservations = (listOpen, listShape.close, listShape.lastSignificant)
                }
            }
            let statics = (subnet["reservations"]?.arrayValue ?? []).map { host in
                staticReservation(host, family: family)
            }
            return ConfigSubnetLayout(
                path: entry.path, subnet: subnet["subnet"]?.stringValue, id: subnet["id"]?.integerValue,
                location: place(of: subnet.offset), open: open, close: shape.close,
                lastSignificant: shape.lastSignificant,
                firstMember: members.first.map { sources.fileOffset(of: $0.keyOffset).offset },
                reservations: reservations, reservationsElsewhere: subnet["reservations"] != nil && reservations == nil,
                staticReservations: statics)
        }
    }

    private func staticReservation(_ host: ConfigValue, family: KeaFamily) -> ConfigSubnetLayout.StaticReservation {
        var identifier: (String, String)?
        for key in HostIdentifier.keys(for: family) {
            if let text = host[key]?.stringValue, let value = HostIdentifier.normalise(text, type: key) {
                identifier = (key, value)
                break
            }
        }
        let addresses = family == .v4
            ? [host["ip-address"]?.stringValue].compactMap { $0 }
            : (host["ip-addresses"]?.arrayValue ?? []).compactMap(\.stringValue)
        return ConfigSubnetLayout.StaticReservation(identifier: identifier, addresses: addresses, location: place(of: host.offset))
    }

    private func place(of offset: Int) -> SourceLocation {
        let (file, line, column) = sourceLocation(of: offset)
        return SourceLocation(file: file, line: line, column: column)
    }
}
