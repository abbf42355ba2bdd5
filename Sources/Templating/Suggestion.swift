/// "did you mean" for misspelt names, tags, filters and members: operators edit templates by hand.
public enum Suggestion {
    /// The closest candidate within a small edit distance, or nil when nothing is plausibly meant.
    static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        // Short names allow one typo, longer ones two or a third of their length; an abbreviation of three or
        // more letters ("attr" for "attribute") counts as one edit.
        let limit = target.count < 4 ? 1 : max(2, target.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let lowered = candidate.lowercased()
            let distance = target.count >= 3 && lowered.hasPrefix(word.lowercased())
                ? 1
                : editDistance(target, Array(lowered.unicodeScalars), limit: limit)
            guard distance <= limit else { continue }
            if let current = best,
               distance > current.distance || (distance == current.distance && candidate >= current.name) {
                continue
            }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// " (did you mean 'x'?)" or "" — ready to append to a message.
    public static func hint(for word: String, among candidates: some Sequence<String>) -> String {
        guard let name = closest(to: word, among: candidates) else { return "" }
        return "; did you mean '\(name)'?"
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent transposition, the commonest typo:
    /// "nmae", "endfro"), with an early exit once a whole row exceeds the limit.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, beforePrevious[j - 2] + 1)
                }
                current[j] = best
                rowMinimum = min(rowMinimum, best)
            }
            if rowMinimum > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
