/// Walks a configuration's own text token by token the way Kea's lexer does (strings, `#`, `//` and `/* */`
/// comments, `<?include?>` directives are single pieces), to find where a value ends in the file as written.
/// The tree keeps only start offsets; `init` needs ends to insert text without touching anything else.
struct ConfigTextScanner {
    let bytes: [UInt8]

    /// Where a container's text ends, and the last piece of its content that is neither blank nor comment.
    struct Container {
        /// Offset of the closing `}` or `]`.
        let close: Int
        /// Offset of the last byte of the last significant piece before `close` (the opening bracket when the
        /// container is empty; a `,` for a trailing comma; the `>` of a directive).
        let lastSignificant: Int
    }

    /// The offset just after the piece (string, word, number, directive) or whole container starting at `start`.
    func end(ofValueAt start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return (container(openingAt: start)?.close).map { $0 + 1 } ?? bytes.count
        default:
            return endOfPiece(at: start)
        }
    }

    /// The matching closing bracket of the container opening at `open`.
    func container(openingAt open: Int) -> Container? {
        var depth = 0
        var index = open
        var lastSignificant = open
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
            case UInt8(ascii: "#"), UInt8(ascii: "/"), UInt8(ascii: "<"):
                let after = endOfPiece(at: index)
                if byte == UInt8(ascii: "<") { lastSignificant = after - 1 }
                index = after
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                lastSignificant = index
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return Container(close: index, lastSignificant: lastSignificant) }
                lastSignificant = index
                index += 1
            default:
                let after = endOfPiece(at: index)
                lastSignificant = after - 1
                index = after
            }
        }
        return nil
    }

    /// The offset after one lexical piece that is not a bracket.
    private func endOfPiece(at start: Int) -> Int {
        let byte = bytes[start]
        let next: UInt8 = start + 1 < bytes.count ? bytes[start + 1] : 0
        var index = start + 1
        switch byte {
        case UInt8(ascii: "\""):
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            return min(index + 1, bytes.count)
        case UInt8(ascii: "#"):
            return endOfLine(from: index)
        case UInt8(ascii: "/") where next == UInt8(ascii: "/"):
            return endOfLine(from: index)
        case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
            index += 1
            while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
            return min(index + 2, bytes.count)
        case UInt8(ascii: "<") where next == UInt8(ascii: "?"):
            while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "?") && bytes[index + 1] == UInt8(ascii: ">")) { index += 1 }
            return min(index + 2, bytes.count)
        case UInt8(ascii: ","), UInt8(ascii: ":"):
            return index
        default:
            while index < bytes.count, !Self.delimiters.contains(bytes[index]) { index += 1 }
            return index
        }
    }

    private static let delimiters: Set<UInt8> = Set(" \t\r\n,:{}[]\"#/<".utf8)

    private func endOfLine(from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        return index
    }
}
