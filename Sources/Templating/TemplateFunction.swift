/// A host-provided function (a lookup such as `reservations(subnet)`), called from templates as `name(args)`.
public struct TemplateFunction: Sendable {
    public let name: String
    /// Arguments and result, for the static checker; nil: unchecked.
    public let signature: FunctionSignature?
    let body: @Sendable (FunctionArguments) throws -> Value

    public init(_ name: String, signature: FunctionSignature? = nil,
                _ body: @escaping @Sendable (FunctionArguments) throws -> Value) {
        self.name = name
        self.signature = signature
        self.body = body
    }

    /// "unknown function 'x'", with a suggestion, or the hint that `x` is a filter.
    static func unknownMessage(_ name: String, known: some Sequence<String>) -> String {
        if Filters.names.contains(name) { return "unknown function '\(name)'; '\(name)' is a filter: write value | \(name)" }
        return "unknown function '\(name)'" + Suggestion.hint(for: name, among: known.sorted())
    }
}

/// The arguments of one call, positional then named (`f(x, vrf="blue")`).
public struct FunctionArguments: Sendable {
    public let positional: [Value]
    public let named: ValueMap

    public init(positional: [Value] = [], named: ValueMap = ValueMap()) {
        self.positional = positional
        self.named = named
    }

    /// The argument given at `index` or by `name` (a parameter may be passed either way); nil when absent.
    public func value(_ index: Int, named name: String) -> Value? {
        if index >= 0, index < positional.count { return positional[index] }
        return named[name]
    }

    /// The named argument `name`; nil when absent.
    public func value(named name: String) -> Value? { named[name] }

    /// Like `value(_:named:)` but a missing argument is an error naming the parameter.
    public func required(_ index: Int, named name: String) throws(FunctionError) -> Value {
        guard let value = value(index, named: name) else {
            throw FunctionError("missing argument '\(name)'")
        }
        return value
    }

    /// A string argument; null and absent give nil, any other kind is an error naming the parameter.
    public func string(_ index: Int, named name: String) throws(FunctionError) -> String? {
        switch value(index, named: name) {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .object(let object)?: return object.text
        case let other?: throw FunctionError("argument '\(name)' must be a string, not \(other.typeName)")
        }
    }

    /// An integer argument; null and absent give nil, any other kind is an error naming the parameter.
    public func int(_ index: Int, named name: String) throws(FunctionError) -> Int? {
        switch value(index, named: name) {
        case nil, .null?: return nil
        case .int(let number)?: return number
        case let other?: throw FunctionError("argument '\(name)' must be an integer, not \(other.typeName)")
        }
    }

    /// A boolean argument; null and absent give nil, any other kind is an error naming the parameter.
    public func bool(_ index: Int, named name: String) throws(FunctionError) -> Bool? {
        switch value(index, named: name) {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?: throw FunctionError("argument '\(name)' must be true or false, not \(other.typeName)")
        }
    }

    /// Rejects named arguments the function does not know, with a did-you-mean, so typos do not silently
    /// widen a lookup (`stauts="active"`).
    public func expectOnly(named allowed: [String], positionalCount: Int) throws(FunctionError) {
        if positional.count > positionalCount {
            throw FunctionError("takes at most \(positionalCount) positional argument(s), got \(positional.count)")
        }
        for key in named.keys where !allowed.contains(key) {
            throw FunctionError("unknown argument '\(key)'" + Suggestion.hint(for: key, among: allowed))
        }
    }
}

/// Thrown by a host function; the renderer reports the message at the call's location.
public struct FunctionError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
