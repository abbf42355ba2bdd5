/// An insertion-ordered String -> Value map: config output must be deterministic, so keys keep the order the
/// host gave them. Small maps (the common case: one NetBox object) are scanned; large ones get a hash index.
public struct ValueMap: Sendable, Sequence {
    public private(set) var keys: [String]
    private var values: [Value]
    private var index: [String: Int]?

    private static let indexThreshold = 12

    public init(_ pairs: [(String, Value)]) {
        keys = []
        values = []
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public init() { self.init([]) }

    public var count: Int { keys.count }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }

    public subscript(key: String) -> Value? {
        get { position(of: key).map { values[$0] } }
        set {
            if let existing = position(of: key) {
                if let newValue {
                    values[existing] = newValue
                } else {
                    keys.remove(at: existing)
                    values.remove(at: existing)
                    rebuildIndex()
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
                if index != nil {
                    index?[key] = keys.count - 1
                } else if keys.count > ValueMap.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    private mutating func rebuildIndex() {
        guard keys.count > ValueMap.indexThreshold else {
            index = nil
            return
        }
        var built: [String: Int] = [:]
        built.reserveCapacity(keys.count)
        for (offset, key) in keys.enumerated() { built[key] = offset }
        index = built
    }

    public func makeIterator() -> AnyIterator<(key: String, value: Value)> {
        var position = 0
        return AnyIterator {
            guard position < keys.count else { return nil }
            defer { position += 1 }
            return (keys[position], values[position])
        }
    }
}

extension ValueMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) { self.init(elements) }
}
