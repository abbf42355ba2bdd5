import Diagnostics
/// Maps positions in a rendered output back to the template text that produced them, so a problem found in the
/// rendered configuration (by Kea's dialect reader, the semantic checks or `kea-dhcp4 -t`) can be reported at a
/// `file:line:column` of the template the operator edits.
///
/// Output copied from literal template text maps to the exact character; output written by a `{{ }}` tag maps to
/// that tag.
public struct SourceMap: Sendable {
    struct Segment: Sendable {
        var outputOffset: Int
        let source: SourceText
        let sourceOffset: Int
        /// Literal text: offsets inside it map one to one.
        let verbatim: Bool
    }

    private var segments: [Segment] = []
    private var lines = LineTable([])

    init() {}

    mutating func record(outputOffset: Int, source: SourceText, sourceOffset: Int, verbatim: Bool) {
        if let last = segments.last, last.outputOffset == outputOffset { segments.removeLast() }
        segments.append(Segment(outputOffset: outputOffset, source: source, sourceOffset: sourceOffset, verbatim: verbatim))
    }

    /// A separator was inserted at `point`: what stood after it moved.
    mutating func shift(from point: Int, by count: Int) {
        var index = segments.count - 1
        while index >= 0, segments[index].outputOffset >= point {
            segments[index].outputOffset += count
            index -= 1
        }
    }

    mutating func finish(output: [UInt8]) {
        lines = LineTable(output)
    }

    /// The template location that produced the output's byte `offset`.
    func locate(outputOffset offset: Int) -> (source: SourceText, offset: Int)? {
        var low = 0
        var high = segments.count - 1
        guard high >= 0, segments[0].outputOffset <= offset else { return nil }
        while low < high {
            let middle = (low + high + 1) / 2
            if segments[middle].outputOffset <= offset { low = middle } else { high = middle - 1 }
        }
        let segment = segments[low]
        guard segment.verbatim else { return (segment.source, segment.sourceOffset) }
        return (segment.source, segment.sourceOffset + (offset - segment.outputOffset))
    }

    /// The byte offset of a 1-based line and column (columns counting Unicode scalars, as Kea's reader and
    /// Kea itself count them) in the rendered output.
    public func outputOffset(line: Int, column: Int) -> Int? {
        lines.offset(line: line, column: column)
    }

    /// A diagnostic at the template location that produced the rendered output's `line`:`column`.
    public func diagnostic(_ severity: Diagnostic.Severity, _ message: String, outputLine line: Int,
                           outputColumn column: Int, notes: [Diagnostic] = []) -> Diagnostic? {
        guard let offset = outputOffset(line: line, column: column), let place = locate(outputOffset: offset) else {
            return nil
        }
        return place.source.diagnostic(severity, message, at: place.offset, notes: notes)
    }
}
