import Foundation

/// A JSON syntax error with the 1-based line and column (in bytes) where it was found.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Byte offset in the text, for callers that report with their own line table.
    public let offset: Int
    public let line: Int
    public let column: Int
    public let message: String
    /// The text nests deeper than `JSONTextParser.maximumDepth`: valid JSON that kea-netbox refuses to read.
    public var isTooDeep = false
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Takes the elements of chosen arrays of the top-level object one at a time, as they are parsed, so that a large
/// document never exists as one tree (Snapshot.decode reads each entry straight into a model value). The parse
/// still checks the whole text: a syntax error anywhere fails it as before.
protocol JSONElementSink: AnyObject {
    /// Whether the elements of the array under this top-level key go to `takeElement` (the tree then holds an
    /// empty array in its place).
    func wantsElements(of key: String) -> Bool
    /// Parses one element with `parser` (positioned at its first byte, `offset`), typically through `parseFields`.
    func takeElement(of key: String, index: Int, offset: Int, from parser: inout JSONTextParser) throws(JSONSyntaxError)
    /// Where, in the array of `key` whose first element starts at `offset`, the sink may take the elements from
    /// there on by other means (another thread); nil when it will not.
    func handoffPosition(forElementsOf key: String, from offset: Int, in document: UnsafeBufferPointer<UInt8>) -> Int?
    /// Called once, at the first element start at or past the handoff position (`offset`), after `count`
    /// elements: the position after the array's `]` when the sink has the rest of the array, nil to parse on.
    func takeRest(of key: String, count: Int, offset: Int, from parser: inout JSONTextParser) throws(JSONSyntaxError)
        -> Int?
}

/// The keys an entry parser looks for. Each key is held as its length and its first and last 8 bytes
/// (overlapping for shorter keys; for keys of at most 16 bytes that is all of them, longer ones have their middle
/// compared only once those match): a key from the document is matched with three integer comparisons.
struct JSONFieldTable {
    let keys: [[UInt8]]
    private let signatures: [Signature]

    private struct Signature: Equatable {
        let count: Int
        let head: UInt64
        let tail: UInt64
    }

    init(_ names: [String]) {
        // `parseFields` keeps the keys it has seen in one 64-bit mask.
        precondition(names.count <= 64, "a field table holds at most 64 keys")
        keys = names.map { Array($0.utf8) }
        signatures = keys.map { key in key.withUnsafeBufferPointer { JSONFieldTable.signature(of: $0) } }
    }

    private static func signature(of bytes: UnsafeBufferPointer<UInt8>) -> Signature {
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else { return Signature(count: 0, head: 0, tail: 0) }
        let raw = UnsafeRawPointer(base)
        if count >= 8 {
            return Signature(count: count, head: raw.loadUnaligned(as: UInt64.self),
                             tail: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        }
        var packed: UInt64 = 0
        for index in 0..<count { packed |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        return Signature(count: count, head: packed, tail: 0)
    }

    /// The slot of `key`, trying `expected` first: entries of one array mostly repeat the same key order.
    func slot(of key: UnsafeBufferPointer<UInt8>, expected: Int) -> Int? {
        let signature = JSONFieldTable.signature(of: key)
        if expected < signatures.count, signatures[expected] == signature, matchesMiddle(expected, key) { return expected }
        for slot in signatures.indices where signatures[slot] == signature && matchesMiddle(slot, key) { return slot }
        return nil
    }

    /// The bytes between the first and the last 8, which the signature does not hold (keys over 16 bytes).
    private func matchesMiddle(_ slot: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard key.count > 16 else { return true }
        return keys[slot].withUnsafeBufferPointer { known in
            guard let knownBase = known.baseAddress, let keyBase = key.baseAddress else { return false }
            return memcmp(knownBase, keyBase, key.count) == 0
        }
    }

    /// The length in bytes of the key of `slot`.
    func length(of slot: Int) -> Int { signatures[slot].count }

    /// Whether `document` holds the key of `slot` as a plain string (quotes included) at `position`, which is
    /// a quote: the check for the key the previous entry had here, without scanning for the closing quote.
    @inline(__always)
    func isKey(_ slot: Int, at position: Int, in document: UnsafeBufferPointer<UInt8>) -> Bool {
        let signature = signatures[slot]
        let count = signature.count
        guard position + count + 2 <= document.count, let base = document.baseAddress else { return false }
        let raw = UnsafeRawPointer(base + position + 1)
        guard count >= 8 else {
            return document[position + 1 + count] == UInt8(ascii: "\"") && keys[slot].withUnsafeBufferPointer { known in
                known.baseAddress.map { memcmp($0, raw, count) == 0 } ?? (count == 0)
            }
        }
        guard raw.loadUnaligned(as: UInt64.self) == signature.head,
              raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == signature.tail,
              document[position + 1 + count] == UInt8(ascii: "\"")
        else { return false }
        return count <= 16 || keys[slot].withUnsafeBufferPointer { known in
            known.baseAddress.map { memcmp($0, raw, count) == 0 } ?? false
        }
    }
}

/// What `parseFields` remembers from one object to the next of the same array (the writer puts every entry's keys
/// in one order and many entries share tags, custom fields or a tenant): which key followed which, and where each
/// member's last object or array value was, so that a member whose bytes repeat the previous entry's is matched
/// without a search and taken without being parsed again.
struct JSONFieldMemory {
    /// `following[slot]`: the slot whose key came after `slot`'s last time; `following[count]`: the first key.
    fileprivate var following: [Int]
    /// `leads[slot]`: where, last time, the text from the end of `slot`'s value (`leads[count]`: from the
    /// object's `{`) to the start of the next member's value was: the comma, the key, the colon and the blanks
    /// around them. The same bytes at the same place in the next entry are the same key, taken with one compare.
    fileprivate var leads: [Lead?]
    fileprivate var lastValues: [LastValue?]
    /// Counts the values parsed into each slot, so a reader can tell a repeated value from a new one.
    fileprivate var nextSerial = 0

    fileprivate struct Lead {
        let span: Range<Int>
        /// The member whose key the lead holds.
        let slot: Int
    }

    fileprivate struct LastValue {
        let span: Range<Int>
        let value: JSONValue
        let serial: Int
    }

    init(_ fields: JSONFieldTable) {
        following = Array(repeating: 0, count: fields.keys.count + 1)
        leads = Array(repeating: nil, count: fields.keys.count + 1)
        lastValues = Array(repeating: nil, count: fields.keys.count)
    }
}

/// One member of an entry as `parseFields` keeps it: an ASCII string without escapes as its byte range in the
/// document (most snapshot values; the reader turns it into a String, an address or a MAC only as needed),
/// anything else parsed.
enum JSONFieldValue {
    case absent
    case text(Range<Int>)
    /// `serial` is the same for a value taken again because its bytes repeat (see `JSONFieldMemory`), so a reader
    /// can reuse what it made of it.
    case value(JSONValue, serial: Int)
}

/// A small strict RFC 8259 parser over UTF-8 bytes. Hand-written rather than JSONSerialization because we need
/// integers kept exact and booleans kept apart from numbers on every platform, and errors with positions.
struct JSONTextParser {
    /// Deeper nesting is refused with an error at the opening bracket: the parser (and every reader of the tree,
    /// the renderer included) recurses once per level, so an unbounded depth from a snapshot or a NetBox custom
    /// field would end in a stack overflow. NetBox's own data and Kea's configurations nest a handful of levels.
    static let maximumDepth = 512

    /// Borrowed: a parser lives inside the `withUTF8` / `withUnsafeBytes` call that lends the text, so a large
    /// document is not copied (see `parse(utf8:)`).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// Member count of the last object finished at each depth: documents are mostly arrays of same-shaped objects,
    /// so this sizes the next object's dictionary up front instead of regrowing it key by key.
    private var objectSizeHints: [Int] = []
    private let sink: (any JSONElementSink)?

    private init(_ bytes: UnsafeBufferPointer<UInt8>, sink: (any JSONElementSink)?) {
        self.bytes = bytes
        self.sink = sink
    }

    /// Parses one JSON document from UTF-8 bytes that stay valid for the call.
    static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, elementsTo sink: (any JSONElementSink)? = nil)
        throws(JSONSyntaxError) -> JSONValue
    {
        var parser = JSONTextParser(bytes, sink: sink)
        return try parser.parseDocument()
    }

    private mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipBlanks()
        let value = try parseValue()
        skipBlanks()
        if index < bytes.count { throw error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ message: String, at position: Int? = nil) -> JSONSyntaxError {
        let end = min(position ?? index, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[0..<end] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return JSONSyntaxError(offset: end, line: line, column: column, message: message)
    }

    /// On a local position, not `index`: the loop then runs in registers. Spaces are taken eight at a time, the
    /// first non-space of a word found from its bits: a pretty-printed snapshot is mostly indentation.
    @inline(__always)
    private mutating func skipBlanks() {
        var position = index
        let count = bytes.count
        // Most calls find a key, a value or a comma right here.
        guard position < count, bytes[position] <= 0x20 else { return }
        while position < count {
            let byte = bytes[position]
            if byte == 0x20, position + 8 <= count, let base = bytes.baseAddress {
                let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: position, as: UInt64.self))
                let differences = word ^ 0x2020_2020_2020_2020
                position += differences == 0 ? 8 : differences.trailingZeroBitCount >> 3
                continue
            }
            guard byte == 0x20 || byte == 0x0a || byte == 0x09 || byte == 0x0d else { break }
            position += 1
        }
        index = position
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character, expected a value")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let matches = index + count <= bytes.count && word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw error("unexpected character, expected a value") }
        index += count
    }

    /// Checked before the level is counted: the callers' `defer { depth -= 1 }` only exists once this returns.
    private mutating func enter() throws(JSONSyntaxError) {
        guard depth < Self.maximumDepth else {
            var tooDeep = error("nesting deeper than \(Self.maximumDepth) levels")
            tooDeep.isTooDeep = true
            throw tooDeep
        }
        depth += 1
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [String: JSONValue] = [:]
        skipBlanks()
        // An empty object (most `custom_fields`) allocates nothing.
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while objectSizeHints.count < depth { objectSizeHints.append(0) }
        members.reserveCapacity(objectSizeHints[depth - 1])
        defer { objectSizeHints[depth - 1] = members.count }
        while true {
            skipBlanks()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key string") }
            let keyStart = index
            let key = try parseString()
            skipBlanks()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after key") }
            index += 1
            skipBlanks()
            let value: JSONValue
            if depth == 1, let sink, index < bytes.count, bytes[index] == UInt8(ascii: "["),
               sink.wantsElements(of: key) {
                value = try parseArray(elementsOf: key)
            } else {
                value = try parseValue()
            }
            if members.updateValue(value, forKey: key) != nil {
                throw error("duplicate key \"\(key)\"", at: keyStart)
            }
            skipBlanks()
            guard index < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw error("expected ',' or '}'")
        }
    }

    /// With `key`, the elements go to the sink instead of the returned (then empty) array.
    private mutating func parseArray(elementsOf key: String? = nil) throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipBlanks()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
        if let key, let sink {
            try parseElements(of: key, to: sink, handoff: sink.handoffPosition(forElementsOf: key, from: index, in: bytes))
            return .array(elements)
        }
        while true {
            skipBlanks()
            elements.append(try parseValue())
            skipBlanks()
            guard index < bytes.count else { throw error("unexpected end of input, expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            throw error("expected ',' or ']'")
        }
    }

    /// The elements of a sink's array from the one at `index` (counted from 0) to past the array's `]`, with
    /// `parseArray`'s checks and errors. At the first element start at or past `handoff` the sink may take the
    /// rest of the array (see `JSONElementSink.takeRest`).
    private mutating func parseElements(of key: String, to sink: any JSONElementSink, handoff: Int?)
        throws(JSONSyntaxError) {
        var count = 0
        var handoff = handoff ?? Int.max
        while true {
            skipBlanks()
            if index >= handoff {
                handoff = Int.max
                if let end = try sink.takeRest(of: key, count: count, offset: index, from: &self) {
                    index = end
                    return
                }
            }
            try sink.takeElement(of: key, index: count, offset: index, from: &self)
            count += 1
            skipBlanks()
            guard index < bytes.count else { throw error("unexpected end of input, expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return }
            throw error("expected ',' or ']'")
        }
    }

    /// The depth of the elements' parent array when the sink takes them: the top-level object is level 1, its
    /// arrays level 2. A parser resumed in the middle of such an array (`parseElements(utf8:…)`) starts there,
    /// so the depth limit counts the same levels as the parse from the document's start.
    private static let sinkArrayDepth = 2

    /// Parses the elements of the top-level array of `key` from the one at `offset` (an element start: an
    /// earlier element and its comma end just before, whatever the caller found there) to past the array's `]`,
    /// handing them to `sink` with indexes from 0; the position after the `]`. Errors are those the parse
    /// from the document's start gives there when `offset` really is an element start of that array, with the
    /// same offsets, lines and columns (the whole document is `bytes`).
    static func parseElements(utf8 bytes: UnsafeBufferPointer<UInt8>, of key: String, from offset: Int,
                              to sink: any JSONElementSink) throws(JSONSyntaxError) -> Int {
        var parser = JSONTextParser(bytes, sink: nil)
        parser.index = offset
        parser.depth = sinkArrayDepth
        try parser.parseElements(of: key, to: sink, handoff: nil)
        return parser.index
    }

    /// Parses the one element of the top-level array of `key` at `offset` again, handing it to `sink` as
    /// element `index` (to report a problem found there with its index in the whole array).
    static func parseElement(utf8 bytes: UnsafeBufferPointer<UInt8>, of key: String, index: Int, at offset: Int,
                             to sink: any JSONElementSink) throws(JSONSyntaxError) {
        var parser = JSONTextParser(bytes, sink: nil)
        parser.index = offset
        parser.depth = sinkArrayDepth
        try sink.takeElement(of: key, index: index, offset: offset, from: &parser)
    }

    /// Parses an object straight into `slots` (one per key of `fields`; `.absent` for those it lacks), with the checks
    /// and errors of `parseObject`: a key outside `fields` has its value parsed and dropped, and any key given
    /// twice is an error at the second one. A value that is not an object is parsed and returned instead.
    /// `memory` carries the key order and the object and array values of the previous object of the same array.
    mutating func parseFields(_ fields: JSONFieldTable, into slots: inout [JSONFieldValue],
                              memory: inout JSONFieldMemory) throws(JSONSyntaxError) -> JSONValue?
    {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return try parseValue() }
        try enter()
        defer { depth -= 1 }
        index += 1
        // Which slots this object filled; the others are reset to absent at the end. A mask rather than a look
        // at each slot's enum, which would copy (retain and release) its value.
        var seen: UInt64 = 0
        defer {
            for slot in slots.indices where seen & (1 << UInt64(slot)) == 0 { slots[slot] = .absent }
        }
        var otherKeys: [String] = []
        let start = fields.keys.count
        var previous = start
        // Whether the text from here to the next value follows the object's `{` or a known member's value, so
        // that `leads[previous]` describes it (after an unknown member it is neither: no lead is taken or kept).
        var leadFollowsPrevious = true
        var first = true
        while true {
            let leadStart = index
            let expected = memory.following[previous]
            var slot: Int?
            var otherKey: String?
            var keyStart = index
            var leadTaken: Range<Int>?
            if leadFollowsPrevious, let lead = memory.leads[previous], repeats(lead.span, at: index) {
                slot = lead.slot
                leadTaken = index..<index + lead.span.count
                index += lead.span.count
                skipBlanks()
            } else {
                skipBlanks()
                if first {
                    // An empty object (most custom fields) holds no member at all.
                    if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return nil }
                } else {
                    guard index < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return nil }
                    guard bytes[index] == UInt8(ascii: ",") else { throw error("expected ',' or '}'") }
                    index += 1
                    skipBlanks()
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key string") }
                keyStart = index
                if expected < start, fields.isKey(expected, at: index, in: bytes) {
                    slot = expected
                    index += fields.length(of: expected) + 2
                } else if let range = plainASCIIRange() {
                    slot = fields.slot(of: UnsafeBufferPointer(rebasing: bytes[range]), expected: expected)
                    if slot == nil { otherKey = String(decoding: bytes[range], as: UTF8.self) }
                } else {
                    let key = try parseString()
                    var utf8 = Array(key.utf8)
                    slot = utf8.withUnsafeMutableBufferPointer { fields.slot(of: UnsafeBufferPointer($0), expected: expected) }
                    if slot == nil { otherKey = key }
                }
                skipBlanks()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after key") }
                index += 1
                skipBlanks()
                if let slot, leadFollowsPrevious { memory.leads[previous] = JSONFieldMemory.Lead(span: leadStart..<index, slot: slot) }
            }
            first = false
            if let slot {
                let bit: UInt64 = 1 << UInt64(slot)
                if seen & bit != 0 {
                    // After a lead taken whole, the key's opening quote is its first: only blanks and a comma
                    // come before it.
                    if let leadTaken { keyStart = bytes[leadTaken].firstIndex(of: UInt8(ascii: "\"")) ?? keyStart }
                    throw error("duplicate key \"\(String(decoding: fields.keys[slot], as: UTF8.self))\"", at: keyStart)
                }
                seen |= bit
                slots[slot] = try parseFieldValue(slot, &memory)
                if expected != slot { memory.following[previous] = slot }
                previous = slot
                leadFollowsPrevious = true
            } else if let otherKey {
                _ = try parseValue()
                if otherKeys.contains(otherKey) { throw error("duplicate key \"\(otherKey)\"", at: keyStart) }
                otherKeys.append(otherKey)
                leadFollowsPrevious = false
            }
        }
    }

    /// One member's value for `parseFields`. An object or array whose bytes are those of the value this slot had in
    /// the previous entry is that value: objects and arrays end with their own closing bracket, so equal bytes
    /// from here on are the same text, which parsed without error at the same depth before.
    private mutating func parseFieldValue(_ slot: Int, _ memory: inout JSONFieldMemory) throws(JSONSyntaxError)
        -> JSONFieldValue
    {
        guard index < bytes.count else { return .value(try parseValue(), serial: 0) }
        let first = bytes[index]
        if first == UInt8(ascii: "\""), let range = plainASCIIRange() { return .text(range) }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            if let number = plainInteger() { return .value(.integer(number), serial: 0) }
            // null, the most frequent value of a snapshot, with one comparison.
            if first == UInt8(ascii: "n"), index + 4 <= bytes.count, let base = bytes.baseAddress,
               UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt32.self) == JSONTextParser.nullWord {
                index += 4
                return .value(.null, serial: 0)
            }
            return .value(try parseValue(), serial: 0)
        }
        if let last = memory.lastValues[slot], repeats(last.span, at: index) {
            index += last.span.count
            return .value(last.value, serial: last.serial)
        }
        let valueStart = index
        let value = try parseValue()
        memory.nextSerial += 1
        memory.lastValues[slot] = JSONFieldMemory.LastValue(span: valueStart..<index, value: value, serial: memory.nextSerial)
        return .value(value, serial: memory.nextSerial)
    }

    private static let nullWord = "null".utf8.reduce(into: (UInt32(0), UInt32(0))) { word, byte in
        word.0 |= UInt32(byte) << word.1
        word.1 += 8
    }.0.littleEndian

    /// An integer of 1 to 18 digits without sign, fraction or exponent (ids, lengths, families) at `index`,
    /// stepping past it; nil, with `index` unchanged, for anything else (parseNumber then reads it and reports
    /// its errors).
    private mutating func plainInteger() -> Int? {
        var position = index
        var value = 0
        while position < bytes.count, position - index < 18 {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value * 10 + Int(digit)
            position += 1
        }
        let digits = position - index
        guard digits > 0, digits == 1 || bytes[index] != UInt8(ascii: "0") else { return nil }
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        index = position
        return value
    }

    /// Whether the bytes at `position` begin with a copy of `span`'s.
    private func repeats(_ span: Range<Int>, at position: Int) -> Bool {
        guard position + span.count <= bytes.count, let base = bytes.baseAddress else { return false }
        return memcmp(base + position, base + span.lowerBound, span.count) == 0
    }

    /// Where the parse is: the offset of the next byte.
    var position: Int { index }

    /// The document `parseFields`' `.text` ranges point into: valid while the parse runs.
    var document: UnsafeBufferPointer<UInt8> { bytes }

    /// The content range of the string at `index` when it is ASCII without escapes, stepping past it; nil, with
    /// `index` unchanged, otherwise (parseString then decodes it and reports its errors).
    private mutating func plainASCIIRange() -> Range<Int>? {
        let contentStart = index + 1
        let count = bytes.count
        var end = contentStart
        if let base = bytes.baseAddress {
            // Eight bytes at a time: the first byte that is a quote, a backslash, a control character or non-ASCII
            // is found from the word's bits; a quote there ends the string.
            let raw = UnsafeRawPointer(base)
            while end + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: end, as: UInt64.self))
                let plain = JSONTextParser.plainPrefixLength(word)
                end += plain
                if plain == 8 { continue }
                guard bytes[end] == UInt8(ascii: "\"") else { return nil }
                index = end + 1
                return contentStart..<end
            }
        }
        while end < count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { break }
            // Below 0x20 (a control character) or from 0x80 (not ASCII): one comparison after the wrap.
            if byte == UInt8(ascii: "\\") || byte &- 0x20 >= 0x60 { return nil }
            end += 1
        }
        guard end < count else { return nil }
        index = end + 1
        return contentStart..<end
    }

    /// How many of the eight bytes of `word` (the first in its lowest byte) come before one that ends or escapes
    /// a plain ASCII string: below 0x20, from 0x80, `"` or `\\`. The has-zero-byte tests flag such bytes exactly
    /// from the lowest one up (a borrow only disturbs the bytes above it), so the lowest flag is the answer.
    private static func plainPrefixLength(_ word: UInt64) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let control = (word &- ones &* 0x20) & ~word & highs
        let flags = (word & highs) | control | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5c))
        return flags.trailingZeroBitCount >> 3
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = index
        if let text = try plainString() { return text }
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("unterminated string", at: start) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { index += 1; break }
            if byte < 0x20 { throw error("control character in string") }
            if byte != UInt8(ascii: "\\") { out.append(byte); index += 1; continue }
            index += 1
            guard index < bytes.count else { throw error("unterminated string", at: start) }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5c)
            case UInt8(ascii: "/"): out.append(0x2f)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xd800...0xdbff).contains(scalar) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired surrogate in \\u escape") }
                    index += 2
                    let low = try parseHex4()
                    guard (0xdc00...0xdfff).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                } else if (0xdc00...0xdfff).contains(scalar) {
                    throw error("unpaired surrogate in \\u escape")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw error("invalid escape sequence", at: index - 2)
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in string", at: start) }
        return text
    }

    /// The common case, a string without escapes: made straight from its bytes (no copy to a buffer; no UTF-8
    /// validation when it is ASCII). nil, with `index` unchanged, when the string needs the full parse (escapes,
    /// control characters, no closing quote), which also reports its errors.
    private mutating func plainString() throws(JSONSyntaxError) -> String? {
        let contentStart = index + 1
        var end = contentStart
        var ascii = true
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        let content = UnsafeBufferPointer(rebasing: bytes[contentStart..<end])
        let text = ascii ? String(decoding: content, as: UTF8.self) : String(validating: content, as: UTF8.self)
        guard let text else { throw error("invalid UTF-8 in string", at: index) }
        index = end + 1
        return text
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
        }
        index += 4
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        func isDigit(_ i: Int) -> Bool { i < bytes.count && (0x30...0x39).contains(bytes[i]) }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw error("invalid number", at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw error("invalid number: leading zero", at: start) }
        } else {
            while isDigit(index) { index += 1 }
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard isDigit(index) else { throw error("invalid number", at: start) }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw error("invalid number", at: start) }
            while isDigit(index) { index += 1 }
        }
        // Ids and lengths: up to 18 digits cannot overflow an Int, so they are summed straight from the bytes.
        let negative = bytes[start] == UInt8(ascii: "-")
        let digitsStart = negative ? start + 1 : start
        if integral, index - digitsStart <= 18 {
            var value = 0
            for position in digitsStart..<index { value = value * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
            return .integer(negative ? -value : value)
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let value = Int(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else { throw error("number out of range", at: start) }
        return .number(value)
    }
}
