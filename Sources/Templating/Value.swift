/// Everything a template computes with. A closed set, so the renderer can escape each kind exactly and every
/// type error names the kinds involved.
public enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case map(ValueMap)
    case object(any TemplateObject)

    /// Name of the kind, for type errors ("cannot take the length of an integer").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .list: "list"
        case .map: "map"
        case .object(let object): object.typeName
        }
    }

    /// Jinja-like truthiness: false, null, 0, "", empty list and empty map are false; objects are true.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .list(let value): !value.isEmpty
        case .map(let value): value.count > 0
        case .object: true
        }
    }

    /// The text a scalar stands for (string content, a decimal number, an object's text); nil for lists and maps,
    /// which have no single text form and must go through `| json` or `| join`.
    var scalarText: String? {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): Value.format(value)
        case .string(let value): value
        case .object(let object): object.text
        case .list, .map: nil
        }
    }

    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return value.description
    }

    /// Deep equality; integers and doubles compare numerically, an object equals a string holding its text.
    public func isEqual(to other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.object(let a), .object(let b)): return a.isEqual(to: b)
        case (.object(let a), .string(let b)), (.string(let b), .object(let a)): return a.text == b
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEqual(to: $1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let otherValue = b[key], value.isEqual(to: otherValue) else { return false }
            }
            return true
        default: return false
        }
    }

    /// Ordering for `<`, `sort`: numbers, strings, objects of one kind. nil when the two cannot be ordered.
    func compare(to other: Value) -> ComparisonOutcome? {
        func outcome<T: Comparable>(_ a: T, _ b: T) -> ComparisonOutcome {
            a < b ? .less : (a == b ? .equal : .greater)
        }
        switch (self, other) {
        case (.int(let a), .int(let b)): return outcome(a, b)
        case (.double(let a), .double(let b)): return outcome(a, b)
        case (.int(let a), .double(let b)): return outcome(Double(a), b)
        case (.double(let a), .int(let b)): return outcome(a, Double(b))
        case (.string(let a), .string(let b)): return outcome(a, b)
        case (.bool(let a), .bool(let b)): return outcome(a ? 1 : 0, b ? 1 : 0)
        case (.object(let a), .object(let b)):
            if a.isEqual(to: b) { return .equal }
            if let less = a.isLess(than: b) { return less ? .less : .greater }
            return nil
        default: return nil
        }
    }

    /// A key such that equal values share it, for `unique` in linear time.
    var identityKey: String {
        switch self {
        case .null: "n"
        case .bool(let value): value ? "b1" : "b0"
        case .int(let value): "d" + String(value)
        case .double(let value): "d" + Value.format(value)
        case .string(let value): "s" + value
        case .object(let object): "s" + object.text
        case .list, .map: "j" + JSONEncoding.compactText(of: self)
        }
    }
}

enum ComparisonOutcome {
    case less, equal, greater
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByNilLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, Value)...) { self = .map(ValueMap(elements)) }
}

extension Value: CustomStringConvertible {
    /// Compact JSON (objects as their quoted text): what a test or a debug print wants to see.
    public var description: String { JSONEncoding.compactText(of: self) }
}
