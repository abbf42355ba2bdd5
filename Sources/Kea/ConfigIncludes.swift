import Diagnostics
import Foundation

/// What the reader does with Kea's textual `<?include "path"?>` directive.
public enum ConfigIncludes: Sendable {
    /// Splice the file in, as Kea does (a relative path is resolved from the working directory, as Kea
    /// resolves it); positions in findings then name the included file.
    case follow
    /// Refuse the directive (for text that must be self-contained).
    case reject
}

/// Where each byte of the include-expanded text came from, so findings name the right file, line and column.
struct SourceMap: Sendable {
    struct Piece: Sendable {
        /// Offset in the expanded text.
        let start: Int
        /// Index into `files` / `tables`.
        let source: Int
        /// Offset of `start` in that file.
        let fileStart: Int
    }

    let files: [String]
    let tables: [LineTable]
    let pieces: [Piece]

    static func single(file: String, bytes: [UInt8]) -> SourceMap {
        SourceMap(files: [file], tables: [LineTable(bytes)], pieces: [Piece(start: 0, source: 0, fileStart: 0)])
    }

    func location(of offset: Int) -> (file: String, line: Int, column: Int) {
        let piece = pieces[pieceIndex(of: offset)]
        let (line, column) = tables[piece.source].location(of: piece.fileStart + max(0, offset - piece.start))
        return (files[piece.source], line, column)
    }

    /// The piece holding an offset of the expanded text.
    private func pieceIndex(of offset: Int) -> Int {
        var low = 0
        var high = pieces.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if pieces[middle].start <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The file and the offset in that file's own bytes of an offset in the expanded text.
    func fileOffset(of offset: Int) -> (file: String, offset: Int) {
        let piece = pieces[pieceIndex(of: offset)]
        return (files[piece.source], piece.fileStart + max(0, offset - piece.start))
    }

    func lineText(file: String, line: Int) -> String {
        guard let index = files.firstIndex(of: file) else { return "" }
        return tables[index].lineText(line)
    }
}

/// Expands `<?include "path"?>` directives outside strings and comments, recursively, refusing cycles.
struct IncludeExpander {
    struct Failure: Error {
        let file: String
        let bytes: [UInt8]
        let offset: Int
        let message: String
    }

    /// Kea's lexer refuses an include when ten are already open ("Too many nested include.").
    static let maximumDepth = 10

    private var output: [UInt8] = []
    private var files: [String] = []
    private var tables: [LineTable] = []
    private var pieces: [SourceMap.Piece] = []

    static func expand(_ bytes: [UInt8], file: String) throws(Failure) -> (bytes: [UInt8], map: SourceMap) {
        // Most files have no directive at all: no copy, one piece.
        guard containsDirectiveStart(bytes) else { return (bytes, .single(file: file, bytes: bytes)) }
        var expander = IncludeExpander()
        expander.output.reserveCapacity(bytes.count)
        try expander.expand(bytes, file: file, stack: [])
        return (expander.output, SourceMap(files: expander.files, tables: expander.tables, pieces: expander.pieces))
    }

    private static func containsDirectiveStart(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "?") { return true }
            index += 1
        }
        return false
    }

    private mutating func expand(_ bytes: [UInt8], file: String, stack: [String]) throws(Failure) {
        let source = files.count
        files.append(file)
        tables.append(LineTable(bytes))
        var segmentStart = 0
        var index = 0
        func copy(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            pieces.append(SourceMap.Piece(start: output.count, source: source, fileStart: range.lowerBound))
            output.append(contentsOf: bytes[range])
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "\"") {
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != 0x0A {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
            } else if byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "/") && next == UInt8(ascii: "/")) {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            } else if byte == UInt8(ascii: "/") && next == UInt8(ascii: "*") {
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index += 2
            } else if byte == UInt8(ascii: "<") && next == UInt8(ascii: "?") {
                let (path, end) = try directive(in: bytes, at: index, file: file)
                copy(segmentStart..<index)
                // Kea resolves a relative include from its working directory; so does this reader.
                let resolved = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
                guard !stack.contains(resolved) && resolved != file else {
                    throw Failure(file: file, bytes: bytes, offset: index, message: "include cycle: \(path) includes itself")
                }
                guard stack.count <= Self.maximumDepth else {
                    throw Failure(file: file, bytes: bytes, offset: index, message: "includes nested deeper than \(Self.maximumDepth + 1) levels (Kea's limit)")
                }
                guard let included = FileManager.default.contents(atPath: resolved) else {
                    throw Failure(file: file, bytes: bytes, offset: index, message: "cannot read the included file \(resolved)")
                }
                try expand(Array(included), file: resolved, stack: stack + [file])
                index = end
                segmentStart = end
            } else {
                index += 1
            }
        }
        copy(segmentStart..<min(index, bytes.count))
        if pieces.isEmpty { pieces.append(SourceMap.Piece(start: 0, source: source, fileStart: 0)) }
    }

    /// Reads `<?include "path"?>` at `start`; returns the path and the offset after `?>`. As Kea's lexer reads
    /// it: blanks and line breaks may stand between the parts (no comments), the path is at least one character
    /// without `"` or a line break, and no escapes.
    private func directive(in bytes: [UInt8], at start: Int, file: String) throws(Failure) -> (String, Int) {
        let keyword = Array("include".utf8)
        func fail(_ detail: String) -> Failure {
            Failure(file: file, bytes: bytes, offset: start, message: "malformed directive: expected <?include \"path\"?> (\(detail))")
        }
        func skipBlanks(_ index: inout Int) {
            while index < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[index]) { index += 1 }
        }
        var index = start + 2
        skipBlanks(&index)
        guard index + keyword.count <= bytes.count, Array(bytes[index..<index + keyword.count]) == keyword else {
            throw fail("'include' must follow '<?'")
        }
        index += keyword.count
        skipBlanks(&index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("the path must be in double quotes") }
        let pathStart = index + 1
        index = pathStart
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != 0x0A { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), index > pathStart else {
            throw fail("the path must be one non-empty line")
        }
        let path = String(decoding: bytes[pathStart..<index], as: UTF8.self)
        index += 1
        skipBlanks(&index)
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "?"), bytes[index + 1] == UInt8(ascii: ">") else {
            throw fail("'?>' must follow the path")
        }
        return (path, index + 2)
    }
}
