import NetBox
import Templating

/// Typed access to a lookup's arguments, with errors that name the function and the argument, since a
/// template author sees them as `file:line:col: error: reservations(): …`.
struct LookupArguments {
    let function: String
    let positional: [Value]
    let named: [String: Value]

    init(_ arguments: FunctionArguments, function: String) {
        self.function = function
        positional = arguments.positional
        var named: [String: Value] = [:]
        for (key, value) in arguments.named { named[key] = value }
        self.named = named
    }

    /// The renderer prefixes the message with `name(): ` at the call's location.
    func fail(_ message: String) -> FunctionError {
        FunctionError(message)
    }

    func allow(positional count: Int, named allowed: [String]) throws {
        if positional.count > count {
            throw fail("takes at most \(count) positional argument\(count == 1 ? "" : "s"), got \(positional.count)")
        }
        for key in named.keys.sorted() where !allowed.contains(key) {
            let hint = Suggestion.hint(for: key, among: allowed)
            throw fail("unknown argument '\(key)'" + (hint.isEmpty ? "; expected one of \(allowed.joined(separator: ", "))" : hint))
        }
    }

    func has(position: Int, name: String) -> Bool {
        positional.indices.contains(position) || named[name] != nil
    }

    /// A subnet given as CIDR text, an IP prefix or a NetBox prefix (which also selects its own VRF; an explicit
    /// `vrf=` argument wins).
    func subnet(position: Int, name: String) throws -> (IPPrefix, vrf: String?) {
        let value = positional.indices.contains(position) ? positional[position] : named[name]
        guard let value else { throw fail("missing the '\(name)' argument (a CIDR such as \"192.0.2.0/24\")") }
        let explicitVRF = try vrfArgument()
        switch value {
        case .string(let text):
            guard let prefix = IPPrefix(text) else {
                throw fail("'\(text)' is not a prefix in CIDR notation with its host bits zero (e.g. \"192.0.2.0/24\")")
            }
            return (prefix, explicitVRF ?? nil)
        case .object(let object as PrefixValue):
            return (object.prefix.prefix, explicitVRF ?? object.prefix.vrf)
        case .object(let object as IPPrefixValue):
            return (object.prefix, explicitVRF ?? nil)
        case .null:
            throw fail("'\(name)' is null (did a prefix() lookup find nothing? guard it with {% if %})")
        default:
            throw fail("'\(name)' must be a CIDR string or a prefix, not \(value.kindDescription)")
        }
    }

    /// The `vrf` argument: absent -> nil (outer), `vrf=null` -> .some(nil) (the global table).
    private func vrfArgument() throws -> String?? {
        guard let value = named["vrf"] else { return nil }
        switch value {
        case .null: return .some(nil)
        case .string(let name): return .some(name)
        default: throw fail("'vrf' must be a VRF name or null, not \(value.kindDescription)")
        }
    }

    func vrfFilter() throws -> VRFFilter {
        guard let vrf = try vrfArgument() else { return .any }
        return .only(vrf)
    }

    func optionalString(_ name: String) throws -> String? {
        guard let value = named[name] else { return nil }
        switch value {
        case .null: return nil
        case .string(let text): return text
        default: throw fail("'\(name)' must be a string, not \(value.kindDescription)")
        }
    }

    /// One string or a list of strings; `null` -> nil (no filter); absent -> `defaultValue`.
    func stringList(_ name: String, default defaultValue: [String]?) throws -> [String]? {
        guard let value = named[name] else { return defaultValue }
        switch value {
        case .null: return nil
        case .string(let text): return [text]
        case .list(let items):
            return try items.map { item in
                guard case .string(let text) = item else {
                    throw fail("'\(name)' must be a string or a list of strings")
                }
                return text
            }
        default: throw fail("'\(name)' must be a string or a list of strings, not \(value.kindDescription)")
        }
    }

    func family() throws -> IPFamily? {
        guard let value = named["family"] else { return nil }
        switch value {
        case .null: return nil
        case .int(4): return .v4
        case .int(6): return .v6
        default: throw fail("'family' must be 4 or 6")
        }
    }
}

extension Value {
    /// What a value is, for error messages.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .list: "a list"
        case .map: "a map"
        case .object(let object): "a \(object.typeName)"
        }
    }
}
