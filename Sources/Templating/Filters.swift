/// The built-in filters (`x | name(args)`). `default`, `raw` and `json` in output position are handled by the
/// renderer and parser because they change how missing values and escaping work, not just the value.
enum Filters {
    struct Failure: Error {
        let message: String
    }

    /// Each filter's parameters, in positional order. Checked by the parser, so `lint` catches a misspelt
    /// filter or argument (`sort(attr="ip")`) without any data.
    static let parameters: [String: [String]] = [
        "default": ["value"], "lower": [], "upper": [], "replace": ["old", "new"], "join": ["separator"],
        "length": [], "first": [], "last": [], "sort": ["attribute", "reverse"], "unique": ["attribute"],
        "where": ["attribute", "value"], "json": [], "raw": [], "string": [], "int": [], "reverse": [],
        "map": ["attribute"],
    ]

    static let names = parameters.keys.sorted()

    /// nil when the call fits the filter's parameters, else the message.
    static func argumentProblem(filter name: String, positionalCount: Int, names named: [String]) -> String? {
        guard let accepted = parameters[name] else {
            return "unknown filter '\(name)'" + Suggestion.hint(for: name, among: names)
        }
        if positionalCount > accepted.count {
            return accepted.isEmpty
                ? "'\(name)' takes no arguments"
                : "'\(name)' takes at most \(accepted.count) argument(s) (\(accepted.joined(separator: ", ")))"
        }
        for label in named {
            guard let position = accepted.firstIndex(of: label) else {
                return "'\(name)' has no argument '\(label)'" + Suggestion.hint(for: label, among: accepted)
            }
            if position < positionalCount { return "'\(name)': argument '\(label)' given twice" }
        }
        return nil
    }

    static func apply(_ name: String, to value: Value, positional: [Value], named: ValueMap) throws(Failure) -> Value {
        func argument(_ index: Int, _ label: String) -> Value? {
            index < positional.count ? positional[index] : named[label]
        }
        func stringArgument(_ index: Int, _ label: String) throws(Failure) -> String {
            switch argument(index, label) {
            case .string(let text)?: return text
            case .object(let object)?: return object.text
            case nil: throw Failure(message: "'\(name)' needs the argument '\(label)'")
            case let other?: throw Failure(message: "'\(name)': argument '\(label)' must be a string, not \(other.typeName)")
            }
        }
        func text(of value: Value) throws(Failure) -> String {
            switch value {
            case .string(let text): return text
            case .object(let object): return object.text
            default: throw Failure(message: "'\(name)' expects a string, got \(value.typeName)")
            }
        }
        func list(_ value: Value) throws(Failure) -> [Value] {
            guard case .list(let items) = value else {
                throw Failure(message: "'\(name)' expects a list, got \(value.typeName)")
            }
            return items
        }

        switch name {
        case "lower": return .string(try text(of: value).lowercased())
        case "upper": return .string(try text(of: value).uppercased())
        case "replace":
            let subject = try text(of: value)
            let old = try stringArgument(0, "old")
            let new = try stringArgument(1, "new")
            guard !old.isEmpty else { throw Failure(message: "'replace': the text to replace is empty") }
            return .string(subject.replacingAll(old, with: new))
        case "join":
            let separator = argument(0, "separator") == nil ? "" : try stringArgument(0, "separator")
            var parts: [String] = []
            for item in try list(value) {
                guard let part = item.scalarText else {
                    throw Failure(message: "'join': cannot join a \(item.typeName) item; join a list of scalars")
                }
                parts.append(part)
            }
            return .string(parts.joined(separator: separator))
        case "length":
            switch value {
            case .string(let text): return .int(text.count)
            case .list(let items): return .int(items.count)
            case .map(let map): return .int(map.count)
            default: throw Failure(message: "cannot take the length of \(article(value.typeName))")
            }
        case "first", "last":
            switch value {
            case .list(let items):
                guard let item = name == "first" ? items.first : items.last else {
                    throw Failure(message: "'\(name)' of an empty list")
                }
                return item
            case .string(let text):
                guard let character = name == "first" ? text.first : text.last else {
                    throw Failure(message: "'\(name)' of an empty string")
                }
                return .string(String(character))
            default: throw Failure(message: "'\(name)' expects a list, got \(value.typeName)")
            }
        case "reverse":
            switch value {
            case .list(let items): return .list(items.reversed())
            case .string(let text): return .string(String(text.reversed()))
            default: throw Failure(message: "'reverse' expects a list, got \(value.typeName)")
            }
        case "sort":
            let attribute = argument(0, "attribute") == nil ? nil : try stringArgument(0, "attribute")
            let reverse = argument(1, "reverse")?.isTruthy ?? false
            return .list(try sorted(try list(value), attribute: attribute, reverse: reverse))
        case "unique":
            // With an attribute: the first item for each value of it (NetBox has the same prefix once per VRF).
            let attribute = argument(0, "attribute") == nil ? nil : try stringArgument(0, "attribute")
            var seen = Set<String>()
            var kept: [Value] = []
            for item in try list(value) {
                let key: Value
                if let attribute {
                    guard let member = resolve(attribute, in: item) else {
                        throw Failure(message: "'unique': \(article(item.typeName)) has no attribute '\(attribute)'")
                    }
                    key = member
                } else {
                    key = item
                }
                if seen.insert(key.identityKey).inserted { kept.append(item) }
            }
            return .list(kept)
        case "where":
            let attribute = try stringArgument(0, "attribute")
            let expected = argument(1, "value")
            return .list(try list(value).filter { item in
                guard let actual = resolve(attribute, in: item) else { return false }
                if let expected { return actual.isEqual(to: expected) }
                return actual.isTruthy
            })
        case "map":
            let attribute = try stringArgument(0, "attribute")
            var result: [Value] = []
            for item in try list(value) {
                guard let member = resolve(attribute, in: item) else {
                    throw Failure(message: "'map': \(article(item.typeName)) has no attribute '\(attribute)'")
                }
                result.append(member)
            }
            return .list(result)
        case "json": return .string(JSONEncoding.compactText(of: value))
        case "raw": return value
        case "string":
            if case .null = value { return .string("") }
            return .string(value.scalarText ?? JSONEncoding.compactText(of: value))
        case "int":
            switch value {
            case .int: return value
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .double(let number):
                guard number.isFinite, let whole = Int(exactly: number.rounded(.towardZero)) else {
                    throw Failure(message: "'int': \(number) is out of range")
                }
                return .int(whole)
            case .string, .object:
                let text = value.scalarText ?? ""
                guard let number = Int(text.trimmedSpaces) else {
                    throw Failure(message: "'int': \"\(text)\" is not an integer")
                }
                return .int(number)
            default: throw Failure(message: "'int' cannot convert \(article(value.typeName))")
            }
        default:
            throw Failure(message: "unknown filter '\(name)'" + Suggestion.hint(for: name, among: names))
        }
    }

    /// Follows a dotted attribute path ("ip", "site.name") through maps and objects; nil when a step is missing.
    static func resolve(_ path: String, in value: Value) -> Value? {
        var current = value
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .map(let map):
                guard let next = map[String(part)] else { return nil }
                current = next
            case .object(let object):
                guard let next = object.member(String(part)) else { return nil }
                current = next
            default:
                return nil
            }
        }
        return current
    }

    /// Stable sort. Keys must be of one orderable kind (numbers, strings, booleans or host objects) so the
    /// result never depends on the order of mixed data; objects that cannot order themselves fall back to text.
    private static func sorted(_ items: [Value], attribute: String?, reverse: Bool) throws(Failure) -> [Value] {
        var keyed: [(key: Value, index: Int)] = []
        keyed.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            if let attribute {
                guard let key = resolve(attribute, in: item) else {
                    throw Failure(message: "'sort': item \(index) (\(article(item.typeName))) has no attribute '\(attribute)'")
                }
                keyed.append((key, index))
            } else {
                keyed.append((item, index))
            }
        }
        var kind: String?
        for (key, _) in keyed {
            let keyKind: String
            switch key {
            case .int, .double: keyKind = "number"
            case .string: keyKind = "string"
            case .bool: keyKind = "boolean"
            case .object: keyKind = "object"
            default: throw Failure(message: "'sort': cannot order \(article(key.typeName)) values")
            }
            if let kind, kind != keyKind {
                throw Failure(message: "'sort': cannot order \(article(kind)) against \(article(keyKind)) (mixed values)")
            }
            kind = keyKind
        }
        keyed.sort { left, right in
            let outcome: ComparisonOutcome
            if let compared = left.key.compare(to: right.key) {
                outcome = compared
            } else {
                let a = left.key.scalarText ?? "", b = right.key.scalarText ?? ""
                outcome = a < b ? .less : (a == b ? .equal : .greater)
            }
            switch outcome {
            case .less: return !reverse
            case .greater: return reverse
            case .equal: return left.index < right.index
            }
        }
        return keyed.map { items[$0.index] }
    }

    static func article(_ noun: String) -> String {
        guard let first = noun.first else { return noun }
        return ("aeiouAEIOU".contains(first) ? "an " : "a ") + noun
    }
}
