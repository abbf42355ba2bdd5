import Diagnostics
import Foundation
import Kea
import NetBox
import Templating

/// What `kea-netbox init` produced: the template and what the operator should look at before the first install.
public struct InitResult: Sendable {
    public let template: String
    /// What to look at before the first install: hand-written reservations NetBox also has and duplicate ids
    /// (warnings), subnets NetBox lacks and subnets left alone in included files (notes).
    public let notes: [Diagnostic]
}

/// Turns a working Kea configuration into a template that renders, against NetBox, to what a cron script's merge
/// produced: the file as written (every tag-looking text made literal), each subnet given a lookup of its NetBox
/// reservations and, when it has no `id`, one (see `SubnetIDs`).
public enum TemplateInit {
    /// The shipped starting-point template, for a fresh setup.
    public static func startingPoint(family: KeaFamily) -> String {
        family == .v4 ? ShippedTemplates.dhcp4 : ShippedTemplates.dhcp6
    }

    /// Where a subnet without an `id` gets one.
    public enum SubnetIDs: Sendable {
        /// The number Kea 2.2 gives it by position: its leases are keyed by it, so nothing moves.
        case position
        /// The NetBox prefix's id when rendered (stable when subnets are added), the position number when NetBox
        /// lacks the prefix. The first install then moves the subnet's leases to the new id.
        case netBox
    }

    public static func template(fromConfigAt path: String, dropStatic: Bool, subnetIDs: SubnetIDs = .position,
                                snapshot: Snapshot?) throws(PipelineError) -> InitResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .failure("\(path): cannot read the configuration")
        }
        return try template(fromConfig: Array(data), file: path, dropStatic: dropStatic, subnetIDs: subnetIDs, snapshot: snapshot)
    }

    public static func template(fromConfig bytes: [UInt8], file: String, dropStatic: Bool, subnetIDs: SubnetIDs = .position,
                                snapshot: Snapshot?) throws(PipelineError) -> InitResult {
        let document: ConfigDocument
        do {
            document = try ConfigDocument.parse(bytes: bytes, file: file)
        } catch {
            throw PipelineError(.rejected, [error.diagnostic])
        }
        guard let family = document.family else {
            throw .rejected("\(file): no top-level \"Dhcp4\" or \"Dhcp6\": init turns a Kea DHCP server configuration into a template")
        }
        let layouts = document.subnetLayouts { path in
            path == file ? bytes : FileManager.default.contents(atPath: path).map { Array($0) }
        }
        var planner = SubnetLookupPlanner(bytes: bytes, family: family, dropStatic: dropStatic, subnetIDs: subnetIDs,
                                          index: snapshot.map(NetBoxIndex.init))
        var notes: [Diagnostic] = []
        // Kea 2.2 numbers the subnets without an id 1, 2, 3… in this order (shared networks first), so the
        // fallback keeps a subnet NetBox lacks on the lease key it already had.
        var position: Int64 = 0
        for layout in layouts {
            var fallback: Int64?
            if layout.id == nil {
                position += 1
                fallback = position
            }
            guard layout.file == file else {
                notes.append(.note("\(layout.path) is in an included file: left as it is (add a NetBox lookup there by hand)", at: layout.location))
                continue
            }
            notes += planner.plan(layout, fallbackID: fallback, file: file)
        }
        notes += planner.idCollisions(file: file)
        notes = notes.map { note in
            guard let place = note.location else { return note }
            return Diagnostic(severity: note.severity, rule: note.rule, message: note.message, location: place,
                              sourceLine: document.lineText(place.line, file: place.file))
        }
        let header = "{# Made by `kea-netbox init` from \(file.replacingOccurrences(of: "#}", with: "# }")): each subnet looks up its NetBox reservations. #}\n"
        let template = header + planner.apply()
        try selfCheck(template, file: file, snapshot: snapshot)
        return InitResult(template: template, notes: notes)
    }

    /// The template must render and read as Kea's dialect again (with the data given, or none): a template that
    /// does not is init's own bug, reported as such rather than handed to the operator.
    private static func selfCheck(_ template: String, file: String, snapshot: Snapshot?) throws(PipelineError) {
        let environment = ConfigRenderer(snapshot: snapshot ?? Snapshot(schema: "unknown")).environment
        do {
            let rendered = try environment.render(source: TemplateSource(path: "\(file) (init's template)", text: template)).output
            _ = try ConfigDocument.parse(rendered, file: "\(file) (init's template, rendered)")
        } catch let error as TemplateError {
            throw PipelineError(.failure, [Diagnostic(severity: .error, message: "init made a template that does not render; please report this")] + error.diagnostics)
        } catch let error as ConfigSyntaxError {
            throw PipelineError(.failure, [Diagnostic(severity: .error, message: "init made a template that renders to something Kea cannot read; please report this"), error.diagnostic])
        } catch {
            throw .failure("init could not check its template: \(error)")
        }
    }
}

/// One insertion or replacement in the original bytes; the text around edits is made literal, the edit's own
/// text is template code.
struct TemplateEdit {
    let range: Range<Int>
    let text: String
}

/// Plans the edits for each subnet and checks them against NetBox when data is given.
struct SubnetLookupPlanner {
    let bytes: [UInt8]
    let family: KeaFamily
    let dropStatic: Bool
    let subnetIDs: TemplateInit.SubnetIDs
    let index: NetBoxIndex?
    private(set) var edits: [TemplateEdit] = []
    private var explicitIDs: Set<Int64> = []
    private var fallbacks: [(id: Int64, place: SourceLocation, subnet: String)] = []
    /// NetBox prefix ids that subnets without an id will get, with where those subnets are.
    private var netBoxIDs: [Int64: (place: SourceLocation, subnet: String)] = [:]

    init(bytes: [UInt8], family: KeaFamily, dropStatic: Bool, subnetIDs: TemplateInit.SubnetIDs, index: NetBoxIndex?) {
        self.bytes = bytes
        self.family = family
        self.dropStatic = dropStatic
        self.subnetIDs = subnetIDs
        self.index = index
    }

    mutating func plan(_ layout: ConfigSubnetLayout, fallbackID: Int64?, file: String) -> [Diagnostic] {
        if let id = layout.id { explicitIDs.insert(id) }
        guard let text = layout.subnet, let prefix = IPPrefix(normalizing: text) else {
            return [Diagnostic(severity: .warning, rule: "init-no-subnet", message: "\(layout.path) has no valid \"subnet\": left without a NetBox lookup", location: layout.location)]
        }
        let quoted = "\"\(prefix)\""
        if let fallbackID { insertID(layout, prefix: quoted, fallback: fallbackID) }
        guard !layout.reservationsElsewhere else {
            return [.note("the reservations of \(layout.path) come from an included file: add the NetBox lookup there by hand", at: layout.location)]
        }
        insertLookup(layout, prefix: quoted)
        guard let index, subnetIDs == .netBox else {
            if let fallbackID, subnetIDs == .netBox { fallbacks.append((fallbackID, layout.location, prefix.description)) }
            return staticCollisions(layout, prefix: prefix, file: file)
        }
        if let netBoxPrefix = index.prefix(prefix, vrf: nil).map({ index.prefixTree.items[$0] }) {
            if fallbackID != nil { netBoxIDs[Int64(netBoxPrefix.id)] = (layout.location, prefix.description) }
        } else if let fallbackID {
            fallbacks.append((fallbackID, layout.location, prefix.description))
        }
        return staticCollisions(layout, prefix: prefix, file: file)
    }

    /// With NetBox data: a subnet NetBox lacks, and hand-written reservations NetBox also has.
    private func staticCollisions(_ layout: ConfigSubnetLayout, prefix: IPPrefix, file: String) -> [Diagnostic] {
        guard let index else { return [] }
        var notes: [Diagnostic] = []
        if index.prefix(prefix, vrf: nil) == nil {
            notes.append(.note("subnet \(prefix) is not a NetBox prefix (global table): NetBox gives it reservations only for addresses it has in that range", at: layout.location))
        }
        let hosts = index.reservations(in: prefix, vrf: nil).filter { $0.status == "active" && $0.family.rawValue == family.rawValue }
        guard !dropStatic, !layout.staticReservations.isEmpty else { return notes }
        // Indexed, because a subnet may hold thousands of hand-written reservations and NetBox thousands more.
        let byMAC = Dictionary(grouping: hosts, by: { $0.mac.description })
        let byAddress = Dictionary(grouping: hosts, by: \.ip)
        for host in layout.staticReservations {
            let addresses = Set(host.addresses.compactMap { IPAddress($0) })
            var matches: [Reservation] = []
            if let identifier = host.identifier, identifier.type == "hw-address" { matches += byMAC[identifier.value] ?? [] }
            for address in addresses { matches += byAddress[address] ?? [] }
            var seen: Set<Int> = []
            for netBoxHost in matches where seen.insert(netBoxHost.ipID).inserted {
                var same: [String] = []
                if let identifier = host.identifier, identifier.type == "hw-address", identifier.value == netBoxHost.mac.description {
                    same.append("hw-address \(identifier.value)")
                }
                if addresses.contains(netBoxHost.ip) { same.append("address \(netBoxHost.ip)") }
                notes.append(Diagnostic(severity: .warning, rule: "init-duplicate-reservation", message: "this reservation and NetBox's \(netBoxHost.name) (\(netBoxHost.interface)) have the same \(same.joined(separator: " and ")) in \(prefix): Kea rejects the duplicate; keep one of them (--drop-static drops the hand-written ones)", location: host.location))
            }
        }
        return notes
    }

    /// Ids that would be duplicates once rendered: a fallback id or a NetBox prefix id that another subnet uses.
    func idCollisions(file: String) -> [Diagnostic] {
        func duplicate(_ message: String, at place: SourceLocation) -> Diagnostic {
            Diagnostic(severity: .warning, rule: "init-duplicate-id", message: message, location: place)
        }
        var notes: [Diagnostic] = []
        for fallback in fallbacks {
            if explicitIDs.contains(fallback.id) {
                notes.append(duplicate("the fallback id \(fallback.id) of \(fallback.subnet) is also written as another subnet's id: change the fallback in the template", at: fallback.place))
            } else if let other = netBoxIDs[fallback.id] {
                notes.append(duplicate("the fallback id \(fallback.id) of \(fallback.subnet) is NetBox's prefix id of \(other.subnet) (\(other.place)): change the fallback in the template", at: fallback.place))
            }
        }
        for (id, subnet) in netBoxIDs.sorted(by: { $0.key < $1.key }) where explicitIDs.contains(id) {
            notes.append(duplicate("\(subnet.subnet) gets NetBox's prefix id \(id), which another subnet has written as its id: write an id for one of them", at: subnet.place))
        }
        return notes
    }

    /// The template: the original text made literal between the edits.
    func apply() -> String {
        var out = ""
        var position = 0
        for edit in edits.enumerated().sorted(by: { ($0.element.range.lowerBound, $0.offset) < ($1.element.range.lowerBound, $1.offset) }).map(\.element) {
            out += LiteralText.escaped(String(decoding: bytes[position..<edit.range.lowerBound], as: UTF8.self))
            out += edit.text
            position = edit.range.upperBound
        }
        out += LiteralText.escaped(String(decoding: bytes[position...], as: UTF8.self))
        return out
    }

    // MARK: - Edits

    private mutating func insert(_ text: String, at offset: Int) {
        edits.append(TemplateEdit(range: offset..<offset, text: text))
    }

    private mutating func insertID(_ layout: ConfigSubnetLayout, prefix: String, fallback: Int64) {
        let why: String
        let value: String
        switch subnetIDs {
        case .position:
            why = "{# Kea 2.2 numbered this subnet \(fallback) by position and keys its leases by that id; NetBox's prefix id would be {{ prefix(\(prefix)).id | default(\(fallback)) }} #}"
            value = "\"id\": \(fallback),"
        case .netBox:
            why = "{# the NetBox prefix's id; \(fallback) (the number Kea 2.2 gave this subnet by position) when NetBox lacks the prefix #}"
            value = "\"id\": {{ prefix(\(prefix)).id | default(\(fallback)) }},"
        }
        if let first = layout.firstMember, startsLine(first), lineStart(of: first) > layout.open {
            let indent = indentation(at: first)
            insert("\n\(indent)\(why)\n\(indent)\(value)", at: layout.open + 1)
        } else {
            insert(" \(why)\(value)", at: layout.open + 1)
        }
    }

    private func item(_ indent: String) -> String {
        let address = family == .v4 ? "\"ip-address\": {{ r.ip }}" : "\"ip-addresses\": [ {{ r.ip }} ]"
        return "\(indent){ \"hw-address\": {{ r.mac }}, \(address), \"hostname\": {{ r.hostname }} }"
    }

    private func loop(_ prefix: String, indent: String) -> String {
        "{% for r in reservations(\(prefix)) sep \",\" %}\n\(item(indent))\n{% endfor %}\n"
    }

    /// On one line; the blank after the last item is written only when there is one, so an empty result leaves
    /// the line as it was.
    private func inlineLoop(_ prefix: String) -> String {
        "{% for r in reservations(\(prefix)) sep \", \" %}\(item("")){% if loop.last %} {% endif %}{% endfor %}"
    }

    private mutating func insertLookup(_ layout: ConfigSubnetLayout, prefix: String) {
        guard let list = layout.reservations else {
            addReservationsMember(layout, prefix: prefix)
            return
        }
        let closeIndent = indentation(at: list.close)
        let ownLine = startsLine(list.close)
        let isEmpty = list.lastSignificant == list.open
        if dropStatic && !isEmpty {
            let text = ownLine ? "\n" + loop(prefix, indent: closeIndent + "  ") + closeIndent : " \(inlineLoop(prefix))"
            edits.append(TemplateEdit(range: list.open + 1..<list.close, text: text))
            return
        }
        if !isEmpty, bytes[list.lastSignificant] != UInt8(ascii: ",") {
            insert("{% if reservations(\(prefix)) %},{% endif %}", at: list.lastSignificant + 1)
        }
        if ownLine {
            let indent = isEmpty ? closeIndent + "  " : indentation(at: list.lastSignificant)
            insert(loop(prefix, indent: indent), at: lineStart(of: list.close))
        } else {
            insert(inlineLoop(prefix), at: list.close)
        }
    }

    private mutating func addReservationsMember(_ layout: ConfigSubnetLayout, prefix: String) {
        let trailingComma = bytes[layout.lastSignificant] == UInt8(ascii: ",")
        if startsLine(layout.close) {
            let closeIndent = indentation(at: layout.close)
            let indent = layout.firstMember.flatMap { startsLine($0) ? indentation(at: $0) : nil } ?? closeIndent + "  "
            if !trailingComma { insert(",", at: layout.lastSignificant + 1) }
            insert("\(indent)\"reservations\": [\n" + loop(prefix, indent: indent + "  ") + "\(indent)]\n", at: lineStart(of: layout.close))
        } else {
            insert("\(trailingComma ? "" : ",") \"reservations\": [ \(inlineLoop(prefix))]", at: layout.lastSignificant + 1)
        }
    }

    // MARK: - Lines

    private func lineStart(of offset: Int) -> Int {
        var start = offset
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        return start
    }

    /// Only blanks stand between the line's start and `offset`.
    private func startsLine(_ offset: Int) -> Bool {
        bytes[lineStart(of: offset)..<offset].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The blanks that begin the line holding `offset`.
    private func indentation(at offset: Int) -> String {
        let start = lineStart(of: offset)
        var end = start
        while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
