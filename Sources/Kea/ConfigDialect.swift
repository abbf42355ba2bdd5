/// The reader for Kea's configuration dialect: strict JSON plus `#`, `//` and `/* */` comments, duplicate
/// keys rejected, exactly one top-level object, trailing commas accepted with a warning (as Kea 2.1.2+
/// does, "Extraneous comma"). It works on UTF-8 bytes so that a file with 100,000 reservations reads in
/// a fraction of a second.
struct ConfigDialect {
    /// A reader problem before it has a line and column.
    struct Failure: Error {
        let offset: Int
        let message: String
    }

    /// A position worth a warning (trailing commas).
    struct Warning {
        let offset: Int
        let message: String
    }

    /// Nesting deeper than this is not a Kea configuration; the limit keeps a hostile input from
    /// exhausting the stack.
    static let maximumDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private(set) var warnings: [Warning] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one top-level object; anything but comments and blanks after it is an error.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> (root: ConfigValue, warnings: [Warning]) {
        let result: Result<(ConfigValue, [Warning]), Failure> = bytes.withUnsafeBufferPointer { buffer in
            var reader = ConfigDialect(bytes: buffer)
            do throws(Failure) {
                let root = try reader.parseDocument()
                return .success((root, reader.warnings))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(let failure): throw failure
        }
    }

    private mutating func parseDocument() throws(Failure) -> ConfigValue {
        // Kea's lexer has no rule for a byte order mark: it stops at it with "Invalid character".
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw Failure(offset: 0, message: "the file starts with a UTF-8 byte order mark, which Kea rejects (\"Invalid character\"); save it without one")
        }
        try skipBlanks()
        guard position < bytes.count else {
            throw Failure(offset: position, message: "empty configuration: expected one JSON object")
        }
        guard bytes[position] == UInt8(ascii: "{") else {
            throw Failure(offset: position, message: "expected '{' to open the configuration, found \(describeHere())")
        }
        let root = try parseValue(depth: 0)
        try skipBlanks()
        if position < bytes.count {
            let message = bytes[position] == UInt8(ascii: "{")
                ? "a second top-level object: a Kea configuration is exactly one object"
                : "unexpected \(describeHere()) after the configuration's closing '}'"
            throw Failure(offset: position, message: message)
        }
        return root
    }

    // MARK: - Blanks and comments

    private mutating func skipBlanks() throws(Failure) {
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                position += 1
            case UInt8(ascii: "#"):
                skipToLineEnd()
            case UInt8(ascii: "/"):
                guard position + 1 < bytes.count else {
                    throw Failure(offset: position, message: "unexpected '/' (comments are '//' or '/* */')")
                }
                let next = bytes[position + 1]
                if next == UInt8(ascii: "/") {
                    skipToLineEnd()
                } else if next == UInt8(ascii: "*") {
                    let start = position
                    position += 2
                    var closed = false
                    while position + 1 < bytes.count {
                        if bytes[position] == UInt8(ascii: "*"), bytes[position + 1] == UInt8(ascii: "/") {
                            position += 2
                            closed = true
                            break
                        }
                        position += 1
                    }
                    if !closed {
                        throw Failure(offset: start, message: "unterminated comment: '/*' is never closed by '*/'")
                    }
                } else {
                    throw Failure(offset: position, message: "unexpected '/' (comments are '//' or '/* */')")
                }
            case UInt8(ascii: "<"):
                if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "?") {
                    throw Failure(offset: position, message:
                        "'<?include ...?>' is not allowed here (includes are read only when following them is enabled)")
                }
                return
            default:
                return
            }
        }
    }

    private mutating func skipToLineEnd() {
        while position < bytes.count, bytes[position] != 0x0A { position += 1 }
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(Failure) -> ConfigValue {
        guard depth < Self.maximumDepth else {
            throw Failure(offset: position, message: "nesting deeper than \(Self.maximumDepth) levels")
        }
        guard position < bytes.count else {
            throw Failure(offset: position, message: "unexpected end of file: expected a value")
        }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return ConfigValue(.string(try parseString()), offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"):
            try expectWord("true")
            return ConfigValue(.bool(true), offset: start)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return ConfigValue(.bool(false), offset: start)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return ConfigValue(.null, offset: start)
        default:
            if Self.isWordByte(bytes[position]) { try expectWord("null") }
            throw Failure(offset: position, message: "expected a value, found \(describeHere())")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(Failure) {
        let start = position
        let count = word.utf8CodeUnitCount
        var matches = position + count <= bytes.count
        if matches {
            word.withUTF8Buffer { expected in
                for index in 0..<count where bytes[start + index] != expected[index] {
                    matches = false
                    break
                }
            }
        }
        // `trueish` is not `true`.
        if matches, start + count < bytes.count, Self.isWordByte(bytes[start + count]) { matches = false }
        guard matches else {
            var end = start
            while end < bytes.count, Self.isWordByte(bytes[end]), end - start < 40 { end += 1 }
            let found = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(end, start + 1)]), as: UTF8.self)
            throw Failure(offset: start, message: "unexpected '\(found)': expected a value (strings need double quotes)")
        }
        position += count
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> ConfigValue {
        let start = position
        position += 1
        var members: [ConfigMember] = []
        // Small objects (the common case: reservations) check duplicates by scanning; large ones by a set.
        var seen: Set<String>? = nil
        try skipBlanks()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return ConfigValue(.object([]), offset: start)
        }
        while true {
            try skipBlanks()
            guard position < bytes.count else {
                throw Failure(offset: start, message: "unterminated object: this '{' is never closed")
            }
            guard bytes[position] == UInt8(ascii: "\"") else {
                if bytes[position] == UInt8(ascii: ",") {
                    throw Failure(offset: position, message: "unexpected ',': expected a key in double quotes")
                }
                throw Failure(offset: position, message: "expected a key in double quotes, found \(describeHere())")
            }
            let keyOffset = position
            let key = try parseString()
            if let set = seen {
                if set.contains(key) { throw duplicateKey(key, at: keyOffset, members: members) }
                seen?.insert(key)
            } else {
                for member in members where member.key == key { throw duplicateKey(key, at: keyOffset, members: members) }
                if members.count >= 16 { seen = Set(members.map(\.key) + [key]) }
            }
            try skipBlanks()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw Failure(offset: position, message: "expected ':' after the key \"\(key)\", found \(describeHere())")
            }
            position += 1
            try skipBlanks()
            let value = try parseValue(depth: depth + 1)
            members.append(ConfigMember(key: key, keyOffset: keyOffset, value: value))
            let end = try elementEnd(closing: "}", openedAt: start, unterminated: "unterminated object: this '{' is never closed",
                                     expected: "expected ',' or '}' after the value of \"\(key)\"")
            if end == .closed { return ConfigValue(.object(members), offset: start) }
        }
    }

    private enum ElementEnd { case another, closed }

    /// After an object member or a list item: a `,` and another element, or the closing bracket. Kea's grammar
    /// (every list and map rule has an `X COMMA` alternative, 2.2 to 3.0) accepts any number of commas after an
    /// element, each with an "Extraneous comma" warning: `1,, 2` and `1,]` read as `1, 2` and `1]`. Only a comma
    /// before the first element (`[ , ]`) is an error.
    private mutating func elementEnd(closing: Unicode.Scalar, openedAt start: Int, unterminated: String,
                                     expected: String) throws(Failure) -> ElementEnd {
        let close = UInt8(ascii: closing)
        try skipBlanks()
        guard position < bytes.count else { throw Failure(offset: start, message: unterminated) }
        if bytes[position] == UInt8(ascii: ",") {
            let comma = position
            position += 1
            try skipBlanks()
            var extra: [Warning] = []
            while position < bytes.count, bytes[position] == UInt8(ascii: ",") {
                extra.append(Warning(offset: position, message: "extraneous comma (Kea accepts it with a warning)"))
                position += 1
                try skipBlanks()
            }
            guard position < bytes.count, bytes[position] == close else {
                warnings += extra
                return .another
            }
            warnings.append(Warning(offset: comma, message: "extraneous comma before '\(closing)' (Kea accepts it with a warning)"))
            warnings += extra
            position += 1
            return .closed
        }
        if bytes[position] == close {
            position += 1
            return .closed
        }
        throw Failure(offset: position, message: "\(expected), found \(describeHere())")
    }

    private func duplicateKey(_ key: String, at offset: Int, members: [ConfigMember]) -> Failure {
        Failure(offset: offset, message: "duplicate key \"\(key)\" in the same object (Kea rejects duplicate keys)")
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> ConfigValue {
        let start = position
        position += 1
        var items: [ConfigValue] = []
        try skipBlanks()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return ConfigValue(.array([]), offset: start)
        }
        while true {
            try skipBlanks()
            guard position < bytes.count else {
                throw Failure(offset: start, message: "unterminated list: this '[' is never closed")
            }
            if bytes[position] == UInt8(ascii: ",") {
                throw Failure(offset: position, message: "unexpected ',': expected a value")
            }
            items.append(try parseValue(depth: depth + 1))
            let end = try elementEnd(closing: "]", openedAt: start, unterminated: "unterminated list: this '[' is never closed",
                                     expected: "expected ',' or ']' in the list")
            if end == .closed { return ConfigValue(.array(items), offset: start) }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        let start = position
        position += 1
        let contentStart = position
        // Fast path: no escapes, the bytes are the string.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(byte, stringStart: start) }
            position += 1
        }
        guard position < bytes.count else {
            throw Failure(offset: start, message: "unterminated string: this '\"' is never closed")
        }
        var decoded = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte < 0x20 { throw controlCharacter(byte, stringStart: start) }
            if byte != UInt8(ascii: "\\") {
                decoded.append(byte)
                position += 1
                continue
            }
            let escapeStart = position
            position += 1
            guard position < bytes.count else { break }
            let escaped = bytes[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "\""): decoded.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): decoded.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): decoded.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                guard position + 4 <= bytes.count,
                      let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + 4]), as: UTF8.self), radix: 16)
                else {
                    throw Failure(offset: escapeStart, message: "invalid \\u escape: expected four hexadecimal digits")
                }
                // Kea's lexer reads \u0080-\u00ff as single bytes and rejects anything above.
                guard code <= 0xFF else {
                    throw Failure(offset: escapeStart, message: "unsupported unicode escape \\u\(String(code, radix: 16)): Kea accepts \\u escapes only up to \\u00ff; write the character as UTF-8")
                }
                position += 4
                if code < 0x80 {
                    decoded.append(UInt8(code))
                } else {
                    decoded.append(contentsOf: String(Unicode.Scalar(UInt8(code))).utf8)
                }
            default:
                throw Failure(offset: escapeStart, message: "invalid escape '\\\(Unicode.Scalar(escaped))' in a string")
            }
        }
        throw Failure(offset: start, message: "unterminated string: this '\"' is never closed")
    }

    private func controlCharacter(_ byte: UInt8, stringStart: Int) -> Failure {
        if byte == 0x0A {
            return Failure(offset: stringStart, message: "unterminated string: this '\"' is not closed before the end of the line")
        }
        return Failure(offset: position, message: "control character 0x\(String(byte, radix: 16)) inside a string must be escaped")
    }

    /// Numbers as Kea's lexer reads them (the same rules in 2.2, 2.6 and 3.0): `-?[0-9]+` is an integer
    /// (`0400` is 400); anything else matching `[-+]?[0-9]*\.?[0-9]*([eE][-+]?[0-9]+)?` is a float when it
    /// converts (`.45`, `+0.5`, `5.`, `1e-3`), and an error when it does not (`+`, `.`, `1e400`).
    private mutating func parseNumber() throws(Failure) -> ConfigValue {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "+") { isInteger = false }
        if bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") { position += 1 }
        var mantissaDigits = skipDigits()
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            mantissaDigits += skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            var probe = position + 1
            if probe < bytes.count, bytes[probe] == UInt8(ascii: "+") || bytes[probe] == UInt8(ascii: "-") { probe += 1 }
            if probe < bytes.count, Self.isDigit(bytes[probe]) {
                isInteger = false
                position = probe
                _ = skipDigits()
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, mantissaDigits > 0 {
            guard let number = Int64(text) else {
                throw Failure(offset: start, message: "integer \(text) is out of range (Kea reads 64-bit signed integers)")
            }
            return ConfigValue(.integer(number), offset: start)
        }
        guard mantissaDigits > 0, let number = Double(text), number.isFinite else {
            throw Failure(offset: start, message: "invalid number '\(text)': Kea cannot convert it to a floating point number")
        }
        return ConfigValue(.double(number), offset: start)
    }

    /// Moves past a run of digits; returns how many.
    private mutating func skipDigits() -> Int {
        let start = position
        while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
        return position - start
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// What stands at the current position, for messages: a quoted character or "end of file".
    private func describeHere() -> String {
        guard position < bytes.count else { return "end of file" }
        let byte = bytes[position]
        if byte < 0x80 && byte >= 0x20 { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte < 0x20 { return "control character 0x\(String(byte, radix: 16))" }
        var end = position + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'\(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self))'"
    }
}
