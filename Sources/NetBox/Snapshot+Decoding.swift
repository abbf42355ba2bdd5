import Diagnostics
import Foundation

extension Snapshot {
    /// Reads a snapshot (DESIGN §3). Unknown keys are ignored so that newer writers stay readable; a missing or
    /// malformed required key is an error naming the key and the entry's index. Keys whose value may be null may
    /// also be absent; `description` and `dns_name` default to "", `tags` to [], `custom_fields` to {}, `is_pool` to
    /// false, and `family` is derived from the address when absent (when present it must agree with it).
    /// Entries come back in canonical order (see `sorted()`).
    public static func decode(_ data: Data) throws(SnapshotError) -> Snapshot {
        let entries = EntryCollector()
        let root = SnapshotEntryReader(container: "", index: nil, members: try topLevelMembers(data, entries))
        let format = try root.string("format")
        guard format == Snapshot.formatName else {
            throw SnapshotError(path: "format", message: "unsupported format \"\(format)\", expected \"\(Snapshot.formatName)\"")
        }
        let netbox = try root.entry("netbox")
        let schema = try netbox.string("schema")
        // Checked in this order, as if the entries were decoded only now: the first problem reported is the same.
        try root.collected("prefixes", entries)
        try root.collected("ip_ranges", entries)
        try root.collected("reservations", entries)
        let (prefixes, ranges, reservations) = (entries.prefixes, entries.ranges, entries.reservations)
        var snapshot = Snapshot(schema: schema, prefixes: prefixes, ipRanges: ranges, reservations: reservations)
        snapshot.sort()
        return snapshot
    }

    /// The members of the top-level object. The JSON is parsed from the file's bytes in place (not from a String
    /// made of them, nor a copy); the parser validates the UTF-8 of every string and allows nothing but ASCII
    /// elsewhere, so a document that parses is UTF-8, and only a failed parse needs the whole-text check that
    /// tells "not UTF-8" from a syntax error.
    private static func topLevelMembers(_ data: Data, _ entries: EntryCollector) throws(SnapshotError)
        -> [String: JSONValue]
    {
        let parsed = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<JSONValue, SnapshotError> in
            var bytes = raw.assumingMemoryBound(to: UInt8.self)
            // A byte order mark is not JSON, but String(data:encoding: .utf8) dropped it, so snapshots with one load.
            var bomLength = 0
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                bytes = UnsafeBufferPointer(rebasing: bytes[3...])
                bomLength = 3
            }
            entries.baseOffset = bomLength
            do throws(JSONSyntaxError) {
                return .success(try JSONTextParser.parse(utf8: bytes, elementsTo: entries))
            } catch {
                if String(validating: bytes, as: UTF8.self) == nil {
                    return .failure(SnapshotError(path: "", message: "not UTF-8 text"))
                }
                return .failure(SnapshotError(path: "", message: "invalid JSON: \(error.message)", offset: error.offset + bomLength))
            }
        }
        let document = try parsed.get()
        guard case .object(let members) = document else {
            throw SnapshotError(path: "", message: "expected a JSON object at the top level, found \(document.kindName)")
        }
        return members
    }
}

/// Turns the entries of the three arrays into model values while the JSON is parsed, so that only one entry's
/// JSON object exists at a time. The first problem in each array is kept, with its path, and reported by
/// `collected` in the order decode checks the keys; later entries of that array are then only parsed.
private final class EntryCollector: JSONElementSink {
    var prefixes: [Prefix] = []
    var ranges: [IPRange] = []
    var reservations: [Reservation] = []
    var firstError: [String: SnapshotError] = [:]
    /// Bytes before the parsed text (a byte order mark), so offsets count from the file's start.
    var baseOffset = 0

    func wantsElements(of key: String) -> Bool {
        key == "prefixes" || key == "ip_ranges" || key == "reservations"
    }

    func take(_ element: JSONValue, index: Int, offset: Int, of key: String) {
        guard firstError[key] == nil else { return }
        guard case .object(let object) = element else {
            firstError[key] = SnapshotError(path: "\(key)[\(index)]", message: "expected an object, found \(element.kindName)",
                                            offset: baseOffset + offset)
            return
        }
        let entry = SnapshotEntryReader(container: key, index: index, members: object)
        do throws(SnapshotError) {
            switch key {
            case "prefixes": prefixes.append(try Prefix(entry))
            case "ip_ranges": ranges.append(try IPRange(entry))
            default: reservations.append(try Reservation(entry))
            }
        } catch {
            firstError[key] = error.at(baseOffset + offset)
        }
    }
}

extension Prefix {
    fileprivate init(_ entry: SnapshotEntryReader) throws(SnapshotError) {
        let prefix = try entry.parsed("prefix", as: "prefix") { IPPrefix($0) }
        try entry.checkFamily(prefix.family)
        self.init(id: try entry.int("id"), prefix: prefix, vrf: try entry.optionalString("vrf"),
                  status: try entry.string("status"), site: try entry.optionalString("site"),
                  tenant: try entry.optionalString("tenant"), role: try entry.optionalString("role"),
                  isPool: try entry.bool("is_pool", default: false),
                  description: try entry.string("description", default: ""), tags: try entry.tags(),
                  customFields: try entry.customFields())
    }
}

extension IPRange {
    fileprivate init(_ entry: SnapshotEntryReader) throws(SnapshotError) {
        let start = try entry.parsed("start", as: "IP address") { IPAddress($0) }
        let end = try entry.parsed("end", as: "IP address") { IPAddress($0) }
        guard start.family == end.family else {
            throw SnapshotError(path: entry.path(of: "end"), message: "\"\(end)\" is not of the same family as start \"\(start)\"")
        }
        guard start <= end else {
            throw SnapshotError(path: entry.path(of: "end"), message: "\"\(end)\" is below start \"\(start)\"")
        }
        try entry.checkFamily(start.family)
        self.init(id: try entry.int("id"), start: start, end: end, vrf: try entry.optionalString("vrf"),
                  status: try entry.string("status"), tenant: try entry.optionalString("tenant"),
                  role: try entry.optionalString("role"), description: try entry.string("description", default: ""),
                  tags: try entry.tags(), customFields: try entry.customFields())
    }
}

extension Reservation {
    fileprivate init(_ entry: SnapshotEntryReader) throws(SnapshotError) {
        let ip = try entry.parsed("ip", as: "IP address") { IPAddress($0) }
        try entry.checkFamily(ip.family)
        let length = try entry.int("prefix_length")
        guard (0...ip.family.bitWidth).contains(length) else {
            throw SnapshotError(path: entry.path(of: "prefix_length"),
                                message: "\(length) is not a valid prefix length for \(ip)")
        }
        let kindText = try entry.string("kind")
        guard let kind = Kind(rawValue: kindText) else {
            throw SnapshotError(path: entry.path(of: "kind"), message: "\"\(kindText)\" is not \"device\" or \"vm\"")
        }
        self.init(ipID: try entry.int("ip_id"), ip: ip, prefixLength: length,
                  mac: try entry.parsed("mac", as: "MAC address") { MACAddress($0) },
                  hostname: try entry.string("hostname"), dnsName: try entry.string("dns_name", default: ""),
                  name: try entry.string("name"), kind: kind, interface: try entry.string("interface"),
                  site: try entry.optionalString("site"), tenant: try entry.optionalString("tenant"),
                  vrf: try entry.optionalString("vrf"), status: try entry.string("status"),
                  description: try entry.string("description", default: ""), tags: try entry.tags(),
                  customFields: try entry.customFields())
    }
}

/// Typed access to one JSON object of the snapshot, producing errors that carry the object's path.
private struct SnapshotEntryReader {
    /// The path of the object, or of the array holding it when `index` is set; joined only when an error needs it.
    let container: String
    let index: Int?
    let members: [String: JSONValue]

    var path: String { index.map { "\(container)[\($0)]" } ?? container }

    func path(of key: String) -> String {
        let path = self.path
        return path.isEmpty ? key : "\(path).\(key)"
    }

    private func missing(_ key: String) -> SnapshotError {
        SnapshotError(path: path, message: "missing key \"\(key)\"")
    }

    private func wrongType(_ key: String, expected: String, found: JSONValue) -> SnapshotError {
        SnapshotError(path: path(of: key), message: "expected \(expected), found \(found.kindName)")
    }

    func string(_ key: String) throws(SnapshotError) -> String {
        guard let value = members[key] else { throw missing(key) }
        guard case .string(let text) = value else { throw wrongType(key, expected: "a string", found: value) }
        return text
    }

    func string(_ key: String, default fallback: String) throws(SnapshotError) -> String {
        guard let value = members[key] else { return fallback }
        guard case .string(let text) = value else { throw wrongType(key, expected: "a string", found: value) }
        return text
    }

    func optionalString(_ key: String) throws(SnapshotError) -> String? {
        switch members[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw wrongType(key, expected: "a string or null", found: other)
        }
    }

    func int(_ key: String) throws(SnapshotError) -> Int {
        guard let value = members[key] else { throw missing(key) }
        guard case .integer(let number) = value else { throw wrongType(key, expected: "an integer", found: value) }
        return number
    }

    func bool(_ key: String, default fallback: Bool) throws(SnapshotError) -> Bool {
        switch members[key] {
        case nil: return fallback
        case .bool(let flag)?: return flag
        case let other?: throw wrongType(key, expected: "a boolean", found: other)
        }
    }

    func parsed<T>(_ key: String, as what: String, _ parse: (String) -> T?) throws(SnapshotError) -> T {
        let text = try string(key)
        guard let value = parse(text) else {
            throw SnapshotError(path: path(of: key), message: "\(JSONString.quoted(text)) is not a valid \(what)")
        }
        return value
    }

    func checkFamily(_ family: IPFamily) throws(SnapshotError) {
        guard let value = members["family"] else { return }
        guard case .integer(let number) = value else { throw wrongType("family", expected: "4 or 6", found: value) }
        guard number == family.rawValue else {
            throw SnapshotError(path: path(of: "family"), message: "\(number) does not match the IPv\(family.rawValue) address")
        }
    }

    func tags() throws(SnapshotError) -> [String] {
        guard let value = members["tags"] else { return [] }
        guard case .array(let elements) = value else { throw wrongType("tags", expected: "an array", found: value) }
        var tags: [String] = []
        tags.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .string(let slug) = element else {
                throw SnapshotError(path: "\(path(of: "tags"))[\(index)]", message: "expected a string, found \(element.kindName)")
            }
            tags.append(slug)
        }
        return tags
    }

    func customFields() throws(SnapshotError) -> [String: JSONValue] {
        guard let value = members["custom_fields"] else { return [:] }
        guard case .object(let fields) = value else { throw wrongType("custom_fields", expected: "an object", found: value) }
        return fields
    }

    func entry(_ key: String) throws(SnapshotError) -> SnapshotEntryReader {
        guard let value = members[key] else { throw missing(key) }
        guard case .object(let object) = value else { throw wrongType(key, expected: "an object", found: value) }
        return SnapshotEntryReader(container: path(of: key), index: nil, members: object)
    }

    /// Checks the top-level array `key` whose entries `entries` took while parsing: missing, not an array, or
    /// the first bad entry.
    func collected(_ key: String, _ entries: EntryCollector) throws(SnapshotError) {
        guard let value = members[key] else { throw missing(key) }
        guard case .array = value else { throw wrongType(key, expected: "an array", found: value) }
        if let error = entries.firstError[key] { throw error }
    }
}
