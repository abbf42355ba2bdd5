import Templating

/// Values given on the command line (`--set name=value`), visible to templates as global variables: one template
/// can then serve several servers (the two members of a Kea HA pair, a lab and production) that differ in an
/// interface name or a server tag. The values are strings and are escaped like any other data.
public struct TemplateVariables: Sendable, Equatable {
    public private(set) var values: [String: String] = [:]

    public init() {}

    /// Parses `name=value` assignments; a later assignment of the same name wins, as in a shell.
    public init(assignments: [String]) throws(TemplateVariablesError) {
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw TemplateVariablesError("--set \(assignment): expected name=value")
            }
            let name = String(assignment[..<equals])
            guard TemplateVariables.isIdentifier(name) else {
                throw TemplateVariablesError("--set \(assignment): '\(name)' is not a variable name (letters, digits, _; not starting with a digit)")
            }
            guard !TemplateVariables.reserved.contains(name) else {
                throw TemplateVariablesError("--set \(assignment): '\(name)' is reserved for kea-netbox's own values")
            }
            values[name] = String(assignment[assignment.index(after: equals)...])
        }
    }

    /// Names the templates already get from kea-netbox, or that the language uses.
    static let reserved: Set<String> = ["netbox", "kea", "loop", "true", "false", "null", "and", "or", "not", "in"]

    var globals: [String: Value] {
        values.mapValues(Value.string)
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}

public struct TemplateVariablesError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
