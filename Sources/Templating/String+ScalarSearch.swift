/// Text helpers for filters and `in`, working on Unicode scalars with no locale, so results are the same on
/// every platform and never depend on Foundation's string bridging.
extension String {
    var trimmedSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }

    /// Plain text replacement without Foundation, so behaviour is the same on every platform.
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstScalarRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}

extension Substring {
    /// First occurrence of `target`, compared by Unicode scalars (no locale, no normalisation surprises).
    func firstScalarRange(of target: String) -> Range<Substring.Index>? {
        let needle = Array(target.unicodeScalars)
        guard let firstScalar = needle.first else { return nil }
        let scalars = unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            if scalars[index] == firstScalar {
                var probe = index
                var matched = 0
                while matched < needle.count, probe != scalars.endIndex, scalars[probe] == needle[matched] {
                    probe = scalars.index(after: probe)
                    matched += 1
                }
                if matched == needle.count { return index..<probe }
            }
            index = scalars.index(after: index)
        }
        return nil
    }
}
