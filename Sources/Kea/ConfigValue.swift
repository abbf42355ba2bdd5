/// The address family of a Kea configuration, chosen by its top-level key (`Dhcp4` or `Dhcp6`).
/// Kea keeps its own small enum so that this module never depends on NetBox's types.
public enum KeaFamily: Int, Sendable, Hashable, CustomStringConvertible {
    case v4 = 4
    case v6 = 6

    /// The top-level key of a server configuration of this family.
    public var topLevelKey: String { self == .v4 ? "Dhcp4" : "Dhcp6" }
    /// The key holding the subnets of this family.
    public var subnetKey: String { self == .v4 ? "subnet4" : "subnet6" }
    /// The name kea-ctrl-agent uses in `"service"`.
    public var serviceName: String { self == .v4 ? "dhcp4" : "dhcp6" }
    /// The server program (`kea-dhcp4`, `kea-dhcp6`) that validates with `-t`.
    public var serverProgram: String { self == .v4 ? "kea-dhcp4" : "kea-dhcp6" }
    public var description: String { self == .v4 ? "DHCPv4" : "DHCPv6" }
}

/// The name used in /work/contracts.md.
public typealias IPFamily4or6 = KeaFamily

/// One parsed node of Kea's JSON dialect with the byte offset where it starts in the document,
/// so that every finding can name `file:line:column` long after parsing.
///
/// A struct around a `Kind` enum (rather than a bare enum) because every node carries a position and
/// reading the position should not need a switch.
public struct ConfigValue: Sendable {
    public indirect enum Kind: Sendable {
        case null
        case bool(Bool)
        /// Kea distinguishes integers from reals (an `id` of `1.0` is rejected), so integers stay exact.
        case integer(Int64)
        case double(Double)
        case string(String)
        case array([ConfigValue])
        case object([ConfigMember])
    }

    public let kind: Kind
    /// UTF-8 byte offset of the node's first character in the parsed text.
    public let offset: Int

    public init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// The member named `key` of an object (nil for other kinds or a missing key).
    public subscript(key: String) -> ConfigValue? {
        guard case .object(let members) = kind else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = kind { return text }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let number) = kind { return number }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = kind { return flag }
        return nil
    }

    public var arrayValue: [ConfigValue]? {
        if case .array(let items) = kind { return items }
        return nil
    }

    public var objectMembers: [ConfigMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    /// Compact JSON with object keys sorted: two nodes with the same content give the same text whatever
    /// their layout, comments or key order, which is what "this reservation changed" should mean.
    public var canonicalJSON: String {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        appendCanonical(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A digest of `canonicalJSON`, without making the string: what the installer's summary keeps of each
    /// reservation (8 bytes instead of its text) to tell a changed one from an unchanged one.
    var canonicalDigest: UInt64 {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        appendCanonical(to: &out)
        return FNV1a.hash(out)
    }

    // Bytes rather than String appends: the summary builds this for every reservation of a large file.
    private func appendCanonical(to out: inout [UInt8]) {
        switch kind {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: String(number).utf8)
        case .string(let text): JSONText.appendQuoted(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.appendCanonical(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let inOrder = zip(members, members.dropFirst()).allSatisfy { $0.key < $1.key }
            for (index, member) in (inOrder ? members : members.sorted { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.appendCanonical(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// A key and its value inside an object, in document order (Kea's files are read and diffed by people,
/// so order is kept).
public struct ConfigMember: Sendable {
    public let key: String
    /// Byte offset of the key's opening quote.
    public let keyOffset: Int
    public let value: ConfigValue

    public init(key: String, keyOffset: Int, value: ConfigValue) {
        self.key = key
        self.keyOffset = keyOffset
        self.value = value
    }
}

/// JSON string quoting shared by the canonical form and the commands sent to Kea.
enum JSONText {
    /// Escapes only `"`, `\` and control characters; other text stays raw UTF-8 because Kea rejects
    /// `\u` escapes above `\u00ff`.
    static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func quoted(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }
}
