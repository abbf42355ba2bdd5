/// What the static checker knows about a value without any data: enough to find a misspelt member of a NetBox
/// object or a call of a function that does not exist, in every branch of a template, before the day NetBox has
/// the data that would take that branch. `unknown` accepts everything: the checker reports only what is certain.
public indirect enum ValueShape: Sendable {
    case unknown
    case string
    case integer
    case boolean
    case null
    case list(of: ValueShape)
    /// A map; with keys, exactly those (like `netbox` or `loop`); without, any (custom fields).
    case map(keys: [String: ValueShape]?)
    case object(ObjectShape)

    /// The shape of a value the host gives (a global).
    public init(of value: Value) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .int: self = .integer
        case .double: self = .unknown
        case .string: self = .string
        case .list(let items): self = .list(of: items.first.map(ValueShape.init(of:)) ?? .unknown)
        case .map(let map):
            var keys: [String: ValueShape] = [:]
            for (key, item) in map { keys[key] = ValueShape(of: item) }
            self = .map(keys: keys)
        case .object(let object):
            self = .object(ObjectShape(typeName: object.typeName, members: object.memberNames.map { ($0, .unknown) }))
        }
    }

    /// The name the renderer's messages use for values of this shape; nil when not known.
    var typeName: String? {
        switch self {
        case .unknown: nil
        case .string: "string"
        case .integer: "integer"
        case .boolean: "boolean"
        case .null: "null"
        case .list: "list"
        case .map: "map"
        case .object(let shape): shape.typeName
        }
    }
}

/// The fixed member set of a host object type (a reservation, a NetBox prefix, an IP address).
public struct ObjectShape: Sendable {
    public let typeName: String
    /// In the order the type lists them (for messages).
    public let memberNames: [String]
    private let members: [String: (shape: ValueShape, index: Int)]

    public init(typeName: String, members: [(String, ValueShape)]) {
        self.typeName = typeName
        self.memberNames = members.map(\.0)
        var table: [String: (shape: ValueShape, index: Int)] = [:]
        for (index, (name, shape)) in members.enumerated() { table[name] = (shape, index) }
        self.members = table
    }

    public func member(_ name: String) -> ValueShape? { members[name]?.shape }

    /// The member's position in `memberNames` (the last, should a name be listed twice, as for its shape).
    public func memberIndex(of name: String) -> Int? { members[name]?.index }
}

/// What a host function accepts and returns, for the static checker: the argument names (the first
/// `positionalCount` may also be given by position) and the shape of the result.
public struct FunctionSignature: Sendable {
    public let parameters: [String]
    public let positionalCount: Int
    public let returns: ValueShape

    public init(parameters: [String], positionalCount: Int, returns: ValueShape) {
        self.parameters = parameters
        self.positionalCount = positionalCount
        self.returns = returns
    }
}
