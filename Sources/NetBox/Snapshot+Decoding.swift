import Diagnostics
import Foundation

extension Snapshot {
    /// Reads a snapshot (DESIGN §3). Unknown keys are ignored so that newer writers stay readable; a missing or
    /// malformed required key is an error naming the key and the entry's index. Keys whose value may be null may
    /// also be absent; `description` and `dns_name` default to "", `tags` to [], `custom_fields` to {}, `is_pool` to
    /// false, and `family` is derived from the address when absent (when present it must agree with it).
    /// Entries come back in canonical order (see `sorted()`). `threading` says whether the second half of the
    /// reservations may be decoded on a second thread; the result, and the error for a bad document, are the
    /// same either way.
    public static func decode(_ data: Data, threading: DecodeThreading = .automatic) throws(SnapshotError) -> Snapshot {
        try decode(data, with: EntryCollector(splitting: threading.minimumBytes.map { (data, $0) }))
    }

    /// `decode` with the collector given (tests look at its `splitUse` afterwards).
    static func decode(_ data: Data, with entries: EntryCollector) throws(SnapshotError) -> Snapshot {
        let root = SnapshotEntryReader<RootKey>(container: "", index: nil, members: try topLevelMembers(data, entries))
        let format = try root.string(.format)
        guard format == Snapshot.formatName else {
            throw SnapshotError(path: "format", message: "unsupported format \"\(format)\", expected \"\(Snapshot.formatName)\"")
        }
        let netbox = try root.entry(.netbox, NetBoxKey.self)
        let schema = try netbox.string(.schema)
        // Checked in this order, as if the entries were decoded only now: the first problem reported is the same.
        try root.collected(.prefixes, entries)
        try root.collected(.ipRanges, entries)
        try root.collected(.reservations, entries)
        let (prefixes, ranges, reservations) = entries.takeArrays()
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
            // A second thread still running (its split was never reached, or this parse failed) is stopped
            // before the bytes it reads are given up.
            defer { entries.finish() }
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

extension Snapshot {
    /// Whether `decode` may parse the second half of the reservations array on a second thread.
    public enum DecodeThreading: Sendable, Equatable {
        /// On a machine with two or more cores, when the array holds at least a MiB.
        case automatic
        case single
        /// Whenever the array holds at least `minimumBytes` (tests and the fuzzer compare it with `single`).
        case split(minimumBytes: Int)

        /// A MiB of entries (about 1,300 reservations) is parsed in a few milliseconds: less than that is not
        /// worth a thread.
        static let automaticMinimumBytes = 1 << 20

        var minimumBytes: Int? {
            switch self {
            case .automatic:
                ProcessInfo.processInfo.activeProcessorCount >= 2 ? DecodeThreading.automaticMinimumBytes : nil
            case .single: nil
            case .split(let minimumBytes): minimumBytes
            }
        }
    }
}

/// The keys of one kind of snapshot object. The case order is the slot order and the order the writer puts them
/// in, which the parser tries first.
private protocol SnapshotKey: RawRepresentable, CaseIterable where RawValue == Int {
    static var names: [String] { get }
}

extension SnapshotKey {
    var name: String { Self.names[rawValue] }
}

private enum RootKey: Int, SnapshotKey {
    case format, netbox, prefixes, ipRanges, reservations
    static let names = ["format", "netbox", "prefixes", "ip_ranges", "reservations"]
}

private enum NetBoxKey: Int, SnapshotKey {
    case schema
    static let names = ["schema"]
}

private enum PrefixKey: Int, SnapshotKey {
    case id, prefix, family, vrf, status, site, tenant, role, isPool, description, tags, customFields, vlan, vlanName
    static let names = ["id", "prefix", "family", "vrf", "status", "site", "tenant", "role", "is_pool", "description",
                        "tags", "custom_fields", "vlan", "vlan_name"]
}

private enum RangeKey: Int, SnapshotKey {
    case id, start, end, family, vrf, status, tenant, role, description, tags, customFields
    static let names = ["id", "start", "end", "family", "vrf", "status", "tenant", "role", "description", "tags",
                        "custom_fields"]
}

private enum ReservationKey: Int, SnapshotKey {
    case ipID, ip, prefixLength, family, mac, hostname, dnsName, name, kind, interface, site, tenant, vrf, status
    case description, tags, customFields, reason, role, platform, deviceType, manufacturer, hostStatus, hostTags
    case hostCustomFields, interfaceTags, interfaceCustomFields, vlan, vlanName
    static let names = ["ip_id", "ip", "prefix_length", "family", "mac", "hostname", "dns_name", "name", "kind",
                        "interface", "site", "tenant", "vrf", "status", "description", "tags", "custom_fields",
                        "reason", "role", "platform", "device_type", "manufacturer", "host_status", "host_tags",
                        "host_custom_fields", "interface_tags", "interface_custom_fields", "vlan", "vlan_name"]
}

/// Reads the entries of the three arrays into model values while the JSON is parsed: each entry's members go into
/// one reused array of slots (no dictionary, no per-member hashing, strings kept as byte ranges until read). The
/// first problem in each array is kept, with its path, and reported by `collected` in the order decode checks the
/// keys; later entries of that array are then only parsed.
///
/// With `splitting`, the second half of the reservations array is decoded by a second collector on a second
/// thread (`ReservationsTail`) from the first entry separator of the writer's layout past the array's middle.
/// A JSON string cannot hold a raw line break, so the bytes of that separator are never inside a string; they
/// may still be inside a hand-formatted member, which is why the split is used only when this collector's own
/// parse reaches an element start exactly there.
final class EntryCollector: JSONElementSink {
    /// Everything an entry changes, in one value: `takeElement` changes it through one access. Each access to a
    /// class's stored property is checked for exclusivity at run time; with the arrays, the slots and the parse
    /// memory as properties of their own, an entry cost five such checks (40 M instructions of a render from a
    /// 100,000-reservation snapshot, issue 11).
    private var collected = CollectedEntries()
    /// The document, for a second thread, and the least size of a reservations array worth splitting.
    private let splitting: (data: Data, minimumBytes: Int)?
    /// The second thread's part of the reservations array while it runs.
    private var tail: ReservationsTail?
    /// What became of the second thread's part: the parse's result does not show it, by design.
    private(set) var splitUse = SplitUse.none

    enum SplitUse: Equatable {
        /// No second thread: too small, one thread wanted, or no entry separator past the middle.
        case none
        /// The first thread's parse reached the second thread's start: its part of the array was used.
        case taken
        /// It did not (the separator was inside an entry, or the parse failed before): the part was dropped.
        case dropped
    }
    /// Set in the second thread's collector: the first thread's, when it has no use for the rest any more.
    private let worker: ReservationsTail.Channel?

    /// Reservations per chunk of the second thread's outcome (see `ReservationsTail.chunkLength`; tests use
    /// a few).
    private let chunkLength: Int

    init(splitting: (data: Data, minimumBytes: Int)?, chunkLength: Int = ReservationsTail.chunkLength) {
        self.splitting = splitting
        self.chunkLength = max(chunkLength, 1)
        worker = nil
    }

    private init(worker: ReservationsTail.Channel, chunkLength: Int) {
        splitting = nil
        self.chunkLength = chunkLength
        self.worker = worker
    }

    /// The three arrays, moved out: the collector holds them no more, so the snapshot's sort changes them in
    /// place instead of copying them.
    func takeArrays() -> ([Prefix], [IPRange], [Reservation]) {
        defer { collected.prefixes = []; collected.ranges = []; collected.reservations = [] }
        return (collected.prefixes, collected.ranges, collected.reservations)
    }

    /// Bytes before the parsed text (a byte order mark), so offsets count from the file's start.
    var baseOffset: Int {
        get { collected.baseOffset }
        set { collected.baseOffset = newValue }
    }

    func wantsElements(of key: String) -> Bool {
        key == "prefixes" || key == "ip_ranges" || key == "reservations"
    }

    func takeElement(of key: String, index: Int, offset: Int, from parser: inout JSONTextParser) throws(JSONSyntaxError) {
        // Never reported: a cancelled tail's outcome is dropped.
        if let worker, worker.isCancelled { throw JSONSyntaxError(offset: offset, line: 0, column: 0, message: "cancelled") }
        try collected.take(key, index: index, offset: offset, from: &parser,
                           chunkLength: worker == nil ? nil : chunkLength)
    }

    func firstError(_ key: String) -> SnapshotError? {
        collected.firstError(key)
    }

    /// The writer puts each entry at level 2 of the indentation (see `Snapshot.encodedBytes`): an entry's
    /// closing brace, the comma and the next entry's opening brace on lines of their own, four spaces in.
    private static let entrySeparator = Array("\n    },\n    {".utf8)

    func handoffPosition(forElementsOf key: String, from offset: Int, in document: UnsafeBufferPointer<UInt8>) -> Int? {
        guard key == "reservations", let splitting, document.count - offset >= max(splitting.minimumBytes, 1),
              let split = EntryCollector.entryStart(after: offset + (document.count - offset) / 2, in: document)
        else { return nil }
        finish()
        let chunkLength = self.chunkLength
        tail = ReservationsTail.start(splitting.data, skipping: baseOffset, at: split) { bytes, channel in
            EntryCollector.decodeTail(bytes, from: split, channel, chunkLength: chunkLength)
        }
        return tail == nil ? nil : split
    }

    /// The first element start after the writer's entry separator at or after `position`.
    private static func entryStart(after position: Int, in document: UnsafeBufferPointer<UInt8>) -> Int? {
        // An entry is a few hundred bytes: the first one found is near `position`.
        let length = entrySeparator.count
        var start = position
        while start + length <= document.count {
            if document[start] == UInt8(ascii: "\n"),
               entrySeparator.indices.allSatisfy({ document[start + $0] == entrySeparator[$0] }) {
                return start + length - 1
            }
            start += 1
        }
        return nil
    }

    /// The second thread's work: the elements from `start` to the array's end, in a collector of its own.
    private static func decodeTail(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                                   _ channel: ReservationsTail.Channel, chunkLength: Int)
        -> ReservationsTail.Outcome
    {
        let collector = EntryCollector(worker: channel, chunkLength: chunkLength)
        let end = Result { () throws(JSONSyntaxError) in
            try JSONTextParser.parseElements(utf8: bytes, of: "reservations", from: start, to: collector)
        }
        let bad = collector.collected.firstErrors.first.map { ReservationsTail.BadEntry(index: $0.index, offset: $0.offset) }
        return ReservationsTail.Outcome(chunks: collector.collected.chunks, firstBadEntry: bad, end: end)
    }

    /// The first thread's parse of the reservations reached `offset`, its `count`th element: the second
    /// thread's part is the rest of the array if it began right here. Then what the sequential parse would
    /// have found from here on is the second thread's: its syntax error (this thread parsed without one up to
    /// here, so it is the first in the document), or its entries and the position after the array; its first
    /// bad entry matters only if the first half had none, and is parsed again here to be reported with its
    /// index in the whole array.
    func takeRest(of key: String, count: Int, offset: Int, from parser: inout JSONTextParser) throws(JSONSyntaxError)
        -> Int?
    {
        guard let tail else { return nil }
        self.tail = nil
        guard offset == tail.start else {
            tail.discard()
            splitUse = .dropped
            return nil
        }
        guard var outcome = tail.join() else { return nil }
        splitUse = .taken
        let end = try outcome.end.get()
        if let bad = outcome.firstBadEntry, firstError(key) == nil {
            try JSONTextParser.parseElement(utf8: parser.document, of: key, index: count + bad.index, at: bad.offset,
                                            to: self)
        }
        // Chunk by chunk, each moved and then freed: the second half is not held twice.
        outcome.chunks.reverse()
        while let chunk = outcome.chunks.popLast() {
            chunk.moveAll(appendingTo: &collected.reservations)
        }
        return end
    }

    /// Stops a second thread whose part was not taken; called once the parse is over, however it ended.
    func finish() {
        guard let tail else { return }
        tail.discard()
        splitUse = .dropped
        self.tail = nil
    }
}

/// What `EntryCollector` makes of the entries: the three arrays, the first problem of each, and what the parse
/// keeps between entries.
private struct CollectedEntries {
    var prefixes: [Prefix] = []
    var ranges: [IPRange] = []
    var reservations: [Reservation] = []
    /// The first problem of each array, by key, with the entry's index and offset; an array, as `take` looks at
    /// it once per entry.
    private(set) var firstErrors: [(key: String, index: Int, offset: Int, error: SnapshotError)] = []
    /// In a second thread's collector: its reservations, in order, in chunks; only the last one is not full.
    private(set) var chunks: [ReservationChunk] = []
    /// Bytes before the parsed text (a byte order mark), so offsets count from the file's start.
    var baseOffset = 0
    private var slots: [JSONFieldValue] = []
    private var prefixEntries = EntryKind(PrefixKey.names)
    private var rangeEntries = EntryKind(RangeKey.names)
    private var reservationEntries = EntryKind(ReservationKey.names)

    /// One array's keys, what the parser remembers between its entries, and what the reader made of them.
    private struct EntryKind {
        let fields: JSONFieldTable
        var memory: JSONFieldMemory
        let cache: EntryReadCache

        init(_ names: [String]) {
            fields = JSONFieldTable(names)
            memory = JSONFieldMemory(fields)
            cache = EntryReadCache(count: names.count)
        }
    }

    /// Parses the entry at the parser's position and adds what it holds to its array. `chunkLength` is set in a
    /// second thread's collector, which hands its reservations over in chunks of that many.
    mutating func take(_ key: String, index: Int, offset: Int, from parser: inout JSONTextParser,
                       chunkLength: Int?) throws(JSONSyntaxError) {
        switch key {
        case "prefixes":
            let other = try Self.parse(&prefixEntries, into: &slots, &parser)
            guard let entry = reader(PrefixKey.self, other, index, offset, key, prefixEntries.cache, parser) else { return }
            do throws(SnapshotError) { prefixes.append(try Prefix(entry)) } catch { note(key, index, offset, error) }
        case "ip_ranges":
            let other = try Self.parse(&rangeEntries, into: &slots, &parser)
            guard let entry = reader(RangeKey.self, other, index, offset, key, rangeEntries.cache, parser) else { return }
            do throws(SnapshotError) { ranges.append(try IPRange(entry)) } catch { note(key, index, offset, error) }
        default:
            let other = try Self.parse(&reservationEntries, into: &slots, &parser)
            guard let entry = reader(ReservationKey.self, other, index, offset, key, reservationEntries.cache, parser)
            else { return }
            do throws(SnapshotError) {
                if let chunkLength {
                    if chunks.last?.isFull ?? true { chunks.append(ReservationChunk(capacity: chunkLength)) }
                    var chunk = chunks[chunks.count - 1]
                    try Reservation.decode(entry, appendingTo: &chunk)
                } else {
                    if index == 0 { reserveReservations(firstEntry: offset..<parser.position, of: parser.document.count) }
                    try Reservation.decode(entry, appendingTo: &reservations)
                }
            } catch {
                note(key, index, offset, error)
            }
        }
    }

    /// Parses one entry of `kind`'s array into the slots; what the parser returns for a value that is not an
    /// object.
    private static func parse(_ kind: inout EntryKind, into slots: inout [JSONFieldValue],
                              _ parser: inout JSONTextParser) throws(JSONSyntaxError) -> JSONValue? {
        if slots.count != kind.fields.keys.count { slots = Array(repeating: .absent, count: kind.fields.keys.count) }
        return try parser.parseFields(kind.fields, into: &slots, memory: &kind.memory)
    }

    /// A reader of the entry just parsed into the slots, or nil when it is not read: its array already has a
    /// problem, or the entry is not an object (`other`), which becomes the array's problem.
    private mutating func reader<Key: SnapshotKey>(_: Key.Type, _ other: JSONValue?, _ index: Int, _ offset: Int,
                                                   _ key: String, _ cache: EntryReadCache,
                                                   _ parser: borrowing JSONTextParser) -> SnapshotEntryReader<Key>? {
        // Most documents have no bad entry: no search (and no key compared) per entry then.
        guard firstErrors.isEmpty || firstError(key) == nil else { return nil }
        if let other {
            note(key, index, offset, SnapshotError(path: "\(key)[\(index)]", message: "expected an object, found \(other.kindName)"))
            return nil
        }
        return SnapshotEntryReader(container: key, index: index, slots: slots, document: parser.document, cache: cache)
    }

    /// Keeps `error` as the first problem of `key`'s array, at the entry's offset in the file.
    private mutating func note(_ key: String, _ index: Int, _ offset: Int, _ error: SnapshotError) {
        firstErrors.append((key, index, offset, error.at(baseOffset + offset)))
    }

    func firstError(_ key: String) -> SnapshotError? {
        firstErrors.first { $0.key == key }?.error
    }

    /// Sizes the reservations array from the first entry's length and what is left of the document (the writer
    /// puts the reservations last, and they are nearly all of it): at 1,000,000 reservations, growing by doubling
    /// would copy a 400 MB array about twenty times and fault in the memory of each copy. An estimate that is
    /// too low only means the array grows as before.
    private mutating func reserveReservations(firstEntry: Range<Int>, of documentLength: Int) {
        let entries = (documentLength - firstEntry.upperBound) / max(firstEntry.count, 1)
        reservations.reserveCapacity(1 + entries + entries / 8)
    }
}

extension Prefix {
    fileprivate init(_ entry: SnapshotEntryReader<PrefixKey>) throws(SnapshotError) {
        let prefix = try entry.parsed(.prefix, as: "prefix") { IPPrefix($0) }
        try entry.checkFamily(.family, prefix.family)
        self.init(id: try entry.int(.id), prefix: prefix, vrf: try entry.optionalString(.vrf),
                  status: try entry.string(.status), site: try entry.optionalString(.site),
                  tenant: try entry.optionalString(.tenant), role: try entry.optionalString(.role),
                  isPool: try entry.bool(.isPool, default: false),
                  description: try entry.string(.description, default: ""), tags: try entry.tags(.tags),
                  customFields: try entry.customFields(.customFields), vlan: try entry.vlan(.vlan, name: .vlanName))
    }
}

extension IPRange {
    fileprivate init(_ entry: SnapshotEntryReader<RangeKey>) throws(SnapshotError) {
        let start = try entry.address(.start)
        let end = try entry.address(.end)
        guard start.family == end.family else {
            throw SnapshotError(path: entry.path(of: .end), message: "\"\(end)\" is not of the same family as start \"\(start)\"")
        }
        guard start <= end else {
            throw SnapshotError(path: entry.path(of: .end), message: "\"\(end)\" is below start \"\(start)\"")
        }
        try entry.checkFamily(.family, start.family)
        self.init(id: try entry.int(.id), start: start, end: end, vrf: try entry.optionalString(.vrf),
                  status: try entry.string(.status), tenant: try entry.optionalString(.tenant),
                  role: try entry.optionalString(.role), description: try entry.string(.description, default: ""),
                  tags: try entry.tags(.tags), customFields: try entry.customFields(.customFields))
    }
}

extension Reservation {
    /// Decodes one entry and appends it: every member is read into a local first, then the value is built by the
    /// memberwise initializer, a call that cannot throw (see Reservation's extension for why that one).
    fileprivate static func decode(_ entry: SnapshotEntryReader<ReservationKey>,
                                   appendingTo reservations: inout some ReservationAppending) throws(SnapshotError)
    {
        let ip = try entry.address(.ip)
        try entry.checkFamily(.family, ip.family)
        let length = try entry.int(.prefixLength)
        guard (0...ip.family.bitWidth).contains(length) else {
            throw SnapshotError(path: entry.path(of: .prefixLength),
                                message: "\(length) is not a valid prefix length for \(ip)")
        }
        let kind: Kind
        if let word = entry.word(.kind, WordTable.kinds) {
            kind = word
        } else {
            let kindText = try entry.string(.kind)
            guard let named = Kind(rawValue: kindText) else {
                throw SnapshotError(path: entry.path(of: .kind), message: "\"\(kindText)\" is not \"device\" or \"vm\"")
            }
            kind = named
        }
        // In the order the keys were read before, so the first problem reported is the same.
        let ipID = try entry.int(.ipID)
        let mac = try entry.mac(.mac)
        let hostname = try entry.string(.hostname)
        let dnsName = try entry.string(.dnsName, default: "")
        let name = try entry.string(.name)
        let interface = try entry.string(.interface)
        let site = try entry.optionalString(.site)
        let tenant = try entry.optionalString(.tenant)
        let vrf = try entry.optionalString(.vrf)
        let status = try entry.string(.status)
        let description = try entry.string(.description, default: "")
        let tags = try entry.tags(.tags)
        let customFields = try entry.customFields(.customFields)
        let reason = try entry.reason(.reason)
        let role = try entry.optionalString(.role)
        let platform = try entry.optionalString(.platform)
        let deviceType = try entry.optionalString(.deviceType)
        let manufacturer = try entry.optionalString(.manufacturer)
        let hostStatus = try entry.optionalString(.hostStatus)
        let hostTags = try entry.tags(.hostTags)
        let hostCustomFields = try entry.customFields(.hostCustomFields)
        let interfaceTags = try entry.tags(.interfaceTags)
        let interfaceCustomFields = try entry.customFields(.interfaceCustomFields)
        let untaggedVLAN = try entry.vlan(.vlan, name: .vlanName)
        reservations.append(Reservation(
            ipID: ipID, ip: ip, prefixLength: length, family: ip.family, mac: mac, hostname: hostname,
            dnsName: dnsName, name: name, kind: kind, interface: interface, site: site, tenant: tenant, vrf: vrf, status: status,
            description: description, tags: tags, customFields: customFields, reason: reason,
            host: HostDetails(role: role, platform: platform, deviceType: deviceType, manufacturer: manufacturer,
                              status: hostStatus, tags: hostTags, customFields: hostCustomFields),
            interfaceDetails: InterfaceDetails(tags: interfaceTags, customFields: interfaceCustomFields,
                                               untaggedVLAN: untaggedVLAN)))
    }
}

/// Typed access to one JSON object of the snapshot, producing errors that carry the object's path.
private struct SnapshotEntryReader<Key: SnapshotKey> {
    /// The path of the object, or of the array holding it when `index` is set; joined only when an error needs it.
    let container: String
    let index: Int?
    let slots: [JSONFieldValue]
    /// The document `.text` slots point into; valid while the parse that made them runs.
    let document: UnsafeBufferPointer<UInt8>
    /// What was made of the previous entry of the same array; nil for the top-level objects.
    let cache: EntryReadCache?

    init(container: String, index: Int?, slots: [JSONFieldValue], document: UnsafeBufferPointer<UInt8>,
         cache: EntryReadCache?) {
        self.container = container
        self.index = index
        self.slots = slots
        self.document = document
        self.cache = cache
    }

    /// An object held as a dictionary (the top level, `netbox`): its members put into slots.
    init(container: String, index: Int?, members: [String: JSONValue]) {
        self.init(container: container, index: index,
                  slots: Key.names.map { name in members[name].map { .value($0, serial: 0) } ?? .absent },
                  document: UnsafeBufferPointer(start: nil, count: 0), cache: nil)
    }

    var path: String { index.map { "\(container)[\($0)]" } ?? container }

    func path(of key: Key) -> String {
        let path = self.path
        return path.isEmpty ? key.name : "\(path).\(key.name)"
    }

    private func missing(_ key: Key) -> SnapshotError {
        SnapshotError(path: path, message: "missing key \"\(key.name)\"")
    }

    private func wrongType(_ key: Key, expected: String, found: JSONValue) -> SnapshotError {
        SnapshotError(path: path(of: key), message: "expected \(expected), found \(found.kindName)")
    }

    /// A `.text` slot as the JSON value it stands for (for type errors).
    private func value(_ slot: JSONFieldValue) -> JSONValue? {
        switch slot {
        case .absent: nil
        case .text(let range): .string(String(decoding: UnsafeBufferPointer(rebasing: document[range]), as: UTF8.self))
        case .value(let value, _): value
        }
    }

    private func text(_ key: Key, _ slot: JSONFieldValue) throws(SnapshotError) -> String {
        switch slot {
        case .absent: throw missing(key)
        case .text(let range):
            return cache?.text(key.rawValue, range, in: document)
                ?? String(decoding: UnsafeBufferPointer(rebasing: document[range]), as: UTF8.self)
        case .value(.string(let text), _): return text
        case .value(let other, _): throw wrongType(key, expected: "a string", found: other)
        }
    }

    func string(_ key: Key) throws(SnapshotError) -> String { try text(key, slots[key.rawValue]) }

    func string(_ key: Key, default fallback: String) throws(SnapshotError) -> String {
        let slot = slots[key.rawValue]
        if case .absent = slot { return fallback }
        return try text(key, slot)
    }

    func optionalString(_ key: Key) throws(SnapshotError) -> String? {
        let slot = slots[key.rawValue]
        switch slot {
        case .absent, .value(.null, _): return nil
        default: return try text(key, slot)
        }
    }

    func int(_ key: Key) throws(SnapshotError) -> Int {
        switch slots[key.rawValue] {
        case .absent: throw missing(key)
        case .value(.integer(let number), _): return number
        case let other: throw wrongType(key, expected: "an integer", found: value(other) ?? .null)
        }
    }

    func bool(_ key: Key, default fallback: Bool) throws(SnapshotError) -> Bool {
        switch slots[key.rawValue] {
        case .absent: return fallback
        case .value(.bool(let flag), _): return flag
        case let other: throw wrongType(key, expected: "a boolean", found: value(other) ?? .null)
        }
    }

    func parsed<T>(_ key: Key, as what: String, _ parse: (String) -> T?) throws(SnapshotError) -> T {
        let text = try string(key)
        guard let value = parse(text) else { throw invalid(key, text, what) }
        return value
    }

    private func invalid(_ key: Key, _ text: String, _ what: String) -> SnapshotError {
        SnapshotError(path: path(of: key), message: "\(JSONString.quoted(text)) is not a valid \(what)")
    }

    /// One of a closed set of words (`kind`, `reason`) read from the document's bytes, without a String made of
    /// them and compared with each case's; nil when the value is not one of them as plain ASCII (the caller
    /// then reads it as a string, for its errors and for anything spelled with escapes).
    func word<Word>(_ key: Key, _ words: WordTable<Word>) -> Word? {
        guard case .text(let range) = slots[key.rawValue] else { return nil }
        return words.word(UnsafeBufferPointer(rebasing: document[range]))
    }

    /// An IP address, parsed from the document's bytes when the value is plain ASCII.
    func address(_ key: Key) throws(SnapshotError) -> IPAddress {
        if case .text(let range) = slots[key.rawValue] {
            if let address = IPAddress(utf8: UnsafeBufferPointer(rebasing: document[range])) { return address }
            throw invalid(key, try string(key), "IP address")
        }
        return try parsed(key, as: "IP address") { IPAddress($0) }
    }

    /// A MAC address, parsed from the document's bytes when the value is plain ASCII.
    func mac(_ key: Key) throws(SnapshotError) -> MACAddress {
        if case .text(let range) = slots[key.rawValue] {
            if let mac = MACAddress(utf8: UnsafeBufferPointer(rebasing: document[range])) { return mac }
            throw invalid(key, try string(key), "MAC address")
        }
        return try parsed(key, as: "MAC address") { MACAddress($0) }
    }

    func checkFamily(_ key: Key, _ family: IPFamily) throws(SnapshotError) {
        let slot = slots[key.rawValue]
        if case .absent = slot { return }
        guard case .value(.integer(let number), _) = slot else {
            throw wrongType(key, expected: "4 or 6", found: value(slot) ?? .null)
        }
        guard number == family.rawValue else {
            throw SnapshotError(path: path(of: key), message: "\(number) does not match the IPv\(family.rawValue) address")
        }
    }

    func tags(_ key: Key) throws(SnapshotError) -> [String] {
        let slot = slots[key.rawValue]
        if case .absent = slot { return [] }
        guard case .value(.array(let elements), let serial) = slot else {
            throw wrongType(key, expected: "an array", found: value(slot) ?? .null)
        }
        if let tags = cache?.tags(key.rawValue, serial: serial) { return tags }
        var tags: [String] = []
        tags.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .string(let slug) = element else {
                throw SnapshotError(path: "\(path(of: key))[\(index)]", message: "expected a string, found \(element.kindName)")
            }
            tags.append(slug)
        }
        cache?.keep(tags, key.rawValue, serial: serial)
        return tags
    }

    func customFields(_ key: Key) throws(SnapshotError) -> [String: JSONValue] {
        let slot = slots[key.rawValue]
        if case .absent = slot { return [:] }
        guard case .value(.object(let fields), _) = slot else {
            throw wrongType(key, expected: "an object", found: value(slot) ?? .null)
        }
        return fields
    }

    /// `reason`, `primary` when absent (snapshots written before out-of-band and interface addresses were read).
    func reason(_ key: Key) throws(SnapshotError) -> Reservation.Reason {
        if let reason = word(key, WordTable.reasons) { return reason }
        guard let text = try optionalString(key) else { return .primary }
        guard let reason = Reservation.Reason(rawValue: text) else {
            throw SnapshotError(path: path(of: key), message: "\(JSONString.quoted(text)) is not \"primary\", \"oob\" or \"interface\"")
        }
        return reason
    }

    /// A VLAN id (or null) with its name.
    func vlan(_ key: Key, name: Key) throws(SnapshotError) -> VLAN? {
        switch slots[key.rawValue] {
        case .absent, .value(.null, _): return nil
        case .value(.integer(let vid), _) where (1...4094).contains(vid):
            return VLAN(vid: vid, name: try optionalString(name) ?? "")
        case let other: throw wrongType(key, expected: "a VLAN id from 1 to 4094 or null", found: value(other) ?? .null)
        }
    }

    func entry<Inner: SnapshotKey>(_ key: Key, _: Inner.Type) throws(SnapshotError) -> SnapshotEntryReader<Inner> {
        switch slots[key.rawValue] {
        case .absent: throw missing(key)
        case .value(.object(let object), _): return SnapshotEntryReader<Inner>(container: path(of: key), index: nil, members: object)
        case let other: throw wrongType(key, expected: "an object", found: value(other) ?? .null)
        }
    }

    /// Checks the top-level array `key` whose entries `entries` took while parsing: missing, not an array, or
    /// the first bad entry.
    func collected(_ key: Key, _ entries: EntryCollector) throws(SnapshotError) {
        switch slots[key.rawValue] {
        case .absent: throw missing(key)
        case .value(.array, _): break
        case let other: throw wrongType(key, expected: "an array", found: value(other) ?? .null)
        }
        if let error = entries.firstError(key.name) { throw error }
    }
}

/// The spellings of a closed set of words, to find one from a value's bytes: the bytes of each case's raw value,
/// compared by length first (made once, not per entry: an enum's `allCases` is a new array on every call).
private struct WordTable<Word: Sendable>: Sendable {
    private let words: [(bytes: [UInt8], word: Word)]

    init(_ cases: some Sequence<Word>, _ spelling: (Word) -> String) {
        words = cases.map { (Array(spelling($0).utf8), $0) }
    }

    func word(_ bytes: UnsafeBufferPointer<UInt8>) -> Word? {
        for candidate in words where candidate.bytes.count == bytes.count {
            if candidate.bytes.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return candidate.word }
        }
        return nil
    }
}

extension WordTable where Word == Reservation.Kind {
    static let kinds = WordTable(Reservation.Kind.allCases) { $0.rawValue }
}

extension WordTable where Word == Reservation.Reason {
    static let reasons = WordTable(Reservation.Reason.allCases) { $0.rawValue }
}

/// What the reader made of earlier entries' members, by slot: an entry whose site, tenant, status or tags are
/// those of a recent entry gets the same String or array (one storage shared, not a new one per reservation).
/// Strings are kept in a few places per slot, chosen by their length and last byte, so that values taking turns
/// (sites across the hosts of a subnet) are found too. The slots are a buffer this object owns rather than arrays
/// in stored properties: a class's array property is checked for exclusive access at run time on every read and
/// write, a cost per member of every entry.
private final class EntryReadCache {
    private static let textWays = 8
    private let texts: UnsafeMutableBufferPointer<(range: Range<Int>, text: String)?>
    private let tagLists: UnsafeMutableBufferPointer<(serial: Int, tags: [String])?>

    init(count: Int) {
        texts = .allocate(capacity: count * EntryReadCache.textWays)
        texts.initialize(repeating: nil)
        tagLists = .allocate(capacity: count)
        tagLists.initialize(repeating: nil)
    }

    deinit {
        texts.deinitialize().deallocate()
        tagLists.deinitialize().deallocate()
    }

    /// The string of `document[range]`; one made before for this slot when its bytes are the same.
    func text(_ slot: Int, _ range: Range<Int>, in document: UnsafeBufferPointer<UInt8>) -> String {
        let last = range.isEmpty ? 0 : Int(document[range.upperBound - 1])
        let place = slot * EntryReadCache.textWays + (range.count &* 7 &+ last) % EntryReadCache.textWays
        if let kept = texts[place], kept.range.count == range.count, let base = document.baseAddress,
           memcmp(base + kept.range.lowerBound, base + range.lowerBound, range.count) == 0 {
            return kept.text
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: document[range]), as: UTF8.self)
        texts[place] = (range, text)
        return text
    }

    /// The tags made of the array value with this serial (`JSONFieldValue`), if it was the last one of the slot.
    func tags(_ slot: Int, serial: Int) -> [String]? {
        guard serial != 0, let last = tagLists[slot], last.serial == serial else { return nil }
        return last.tags
    }

    func keep(_ tags: [String], _ slot: Int, serial: Int) {
        if serial != 0 { tagLists[slot] = (serial, tags) }
    }
}
