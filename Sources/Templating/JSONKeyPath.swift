/// Where in the JSON document the template's literal text has got to, as a path of keys and list levels
/// (`Dhcp4.subnet4[].reservations[]`), so a check can tell where a loop writes its items. Approximate by design: it
/// follows brackets, keys, strings and comments of the literal text only, and a `{{ }}` counts as one value.
struct JSONKeyPath: Sendable {
    private enum Frame: Sendable {
        case object(key: String?)
        case list
    }

    private enum State: Sendable {
        case normal, slash, string, stringEscape, lineComment, blockComment, blockCommentStar
    }

    private var frames: [Frame] = []
    private var state: State = .normal
    private var stringBytes: [UInt8] = []
    private var lastString: String?

    /// The keys from the top, `[]` for a list level: `["Dhcp4", "subnet4", "[]", "reservations", "[]"]`.
    var components: [String] {
        frames.map { frame in
            switch frame {
            case .object(let key): key ?? "?"
            case .list: "[]"
            }
        }
    }

    mutating func advance(over bytes: some Sequence<UInt8>) {
        for byte in bytes { advance(byte) }
    }

    private mutating func advance(_ byte: UInt8) {
        switch state {
        case .string:
            if byte == UInt8(ascii: "\\") { state = .stringEscape } else if byte == UInt8(ascii: "\"") {
                lastString = String(decoding: stringBytes, as: UTF8.self)
                state = .normal
            } else {
                stringBytes.append(byte)
            }
        case .stringEscape:
            stringBytes.append(byte)
            state = .string
        case .lineComment:
            if byte == UInt8(ascii: "\n") { state = .normal }
        case .blockComment:
            if byte == UInt8(ascii: "*") { state = .blockCommentStar }
        case .blockCommentStar:
            state = byte == UInt8(ascii: "/") ? .normal : (byte == UInt8(ascii: "*") ? .blockCommentStar : .blockComment)
        case .slash:
            if byte == UInt8(ascii: "/") { state = .lineComment } else if byte == UInt8(ascii: "*") {
                state = .blockComment
            } else {
                state = .normal
                advance(byte)
            }
        case .normal:
            switch byte {
            case UInt8(ascii: "\""):
                stringBytes.removeAll(keepingCapacity: true)
                state = .string
            case UInt8(ascii: "/"): state = .slash
            case UInt8(ascii: "#"): state = .lineComment
            case UInt8(ascii: "{"): frames.append(.object(key: nil))
            case UInt8(ascii: "["): frames.append(.list)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = frames.popLast()
            case UInt8(ascii: ":"):
                if case .object = frames.last { frames[frames.count - 1] = .object(key: lastString) }
            case UInt8(ascii: ","):
                if case .object = frames.last { frames[frames.count - 1] = .object(key: nil) }
            default: break
            }
        }
    }
}
