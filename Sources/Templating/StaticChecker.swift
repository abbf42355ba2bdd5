import Diagnostics

/// Checks a parsed template without data and in every branch: names (from `set`, `for`, the host's globals and
/// functions), function argument names, and members of host objects whose member set is fixed. A typo in the
/// body of a loop over a subnet that has no hosts yet, or in an `if` NetBox data never takes, is found by `lint`
/// before the day it would fail every install. Only certainties are reported: whatever depends on data (a key of a
/// custom-field map, an index, a value that may be null) stays a render-time check.
///
/// Messages are the renderer's, word for word, so `lint` with data reports a problem once.
public struct StaticChecker {
    /// The rule name of its findings.
    public static let rule = "static-check"

    /// A name a template can see, and whether anything read it.
    private struct Binding {
        let shape: ValueShape
        /// Where a `set` made it (nil for loop variables and globals): only those are reported when unused.
        let setAt: (source: SourceText, offset: Int)?
        var used = false
    }

    private let globals: [String: ValueShape]
    private let functions: [String: FunctionSignature?]
    private var scopes: [[String: Binding]] = [[:]]
    private var source: SourceText
    private(set) var diagnostics: [Diagnostic] = []
    /// Globals some expression read (for "--set NAME is never used").
    private(set) var usedGlobals: Set<String> = []
    /// Names read but defined nowhere (to suggest a misspelt `--set` name).
    private(set) var undefinedNames: Set<String> = []
    /// Calls whose first argument is a string literal, for checks against data (`reservations("203.0.113.0/24")`
    /// for a subnet NetBox does not have).
    private(set) var literalCalls: [LiteralCall] = []
    /// Each `for` over a function call, with the JSON path its items are written at.
    private(set) var loopsOverCalls: [LoopPlace] = []
    private var keyPath = JSONKeyPath()
    /// Names an enclosing `if` tested through `| default` (`{% if interface | default(null) %}`): optional
    /// variables, defined wherever that branch runs.
    private var guarded: [Set<String>] = []
    private var unusedSets: [Diagnostic] = []

    init(source: SourceText, globals: [String: ValueShape], functions: [String: FunctionSignature?]) {
        self.source = source
        self.globals = globals
        self.functions = functions
    }

    /// Checks the whole tree; errors first as found, then one warning per `set` whose value nothing reads.
    mutating func check(_ template: Template) -> [Diagnostic] {
        check(template.nodes)
        closeScope()
        return diagnostics + unusedSets
    }

    private mutating func check(_ nodes: [Node]) {
        for node in nodes {
            switch node {
            case .text(let text, _):
                keyPath.advance(over: text.utf8)
            case .output(let output):
                _ = shape(of: output.expression)
            case .forLoop(let loop):
                if let function = StaticChecker.calledFunction(loop.sequence) {
                    let place = source.diagnostic(.note, "", at: loop.offset)
                    loopsOverCalls.append(LoopPlace(function: function, jsonPath: keyPath.components,
                                                    location: place.location, sourceLine: place.sourceLine))
                }
                let sequence = shape(of: loop.sequence)
                check(loop.emptyBody)
                var item = ValueShape.unknown
                let value = ValueShape.unknown
                switch sequence {
                case .list(let element): item = element
                case .map: item = .string
                default: break
                }
                scopes.append([
                    loop.variable: Binding(shape: item, setAt: nil),
                    "loop": Binding(shape: StaticChecker.loopShape, setAt: nil),
                ])
                if let valueVariable = loop.valueVariable {
                    scopes[scopes.count - 1][valueVariable] = Binding(shape: value, setAt: nil)
                }
                check(loop.body)
                closeScope()
            case .conditional(let conditional):
                // Every branch, whatever the data: that is the point. Each starts where the `if` stands in the
                // JSON document; the first one's end stands for all (they must agree to render valid JSON).
                let before = keyPath
                var after: JSONKeyPath?
                for branch in conditional.branches {
                    _ = shape(of: branch.condition)
                    keyPath = before
                    guarded.append(StaticChecker.namesTestedWithDefault(branch.condition))
                    check(branch.body)
                    guarded.removeLast()
                    after = after ?? keyPath
                }
                keyPath = before
                check(conditional.elseBody)
                keyPath = after ?? keyPath
            case .set(let name, let expression, let offset):
                let value = shape(of: expression)
                scopes[scopes.count - 1][name] = Binding(shape: value, setAt: (source, offset),
                                                         used: scopes[scopes.count - 1][name]?.used ?? false)
            case .include(let template, _):
                let saved = source
                source = template.source
                check(template.nodes)
                source = saved
            case .error(let message, _), .warn(let message, _):
                _ = shape(of: message)
            }
        }
    }

    /// Reports the `set` names of the innermost scope that nothing read, then drops it.
    private mutating func closeScope() {
        guard let scope = scopes.popLast() else { return }
        for (name, binding) in scope.sorted(by: { $0.key < $1.key }) where !binding.used {
            guard let place = binding.setAt else { continue }
            unusedSets.append(place.source.diagnostic(.warning, rule: "unused-variable",
                                                      "'\(name)' is set but never used", at: place.offset))
        }
    }

    /// The names a condition reads through `| default`, alone or joined by `and`.
    private static func namesTestedWithDefault(_ condition: Expression) -> Set<String> {
        switch condition.kind {
        case .filter(let base, "default", _):
            if case .name(let name) = base.kind { return [name] }
            return []
        case .binary(.and, let left, let right):
            return namesTestedWithDefault(left).union(namesTestedWithDefault(right))
        default:
            return []
        }
    }

    /// `f(…)`, `f(…) | filter…`: the function whose result a loop goes over.
    private static func calledFunction(_ expression: Expression) -> String? {
        switch expression.kind {
        case .call(let name, _): name
        case .filter(let base, _, _): calledFunction(base)
        default: nil
        }
    }

    static let loopShape = ValueShape.map(keys: ["index": .integer, "index0": .integer, "first": .boolean,
                                                 "last": .boolean, "length": .integer])

    private mutating func report(_ message: String, at offset: Int) {
        diagnostics.append(source.diagnostic(.error, rule: StaticChecker.rule, message, at: offset))
    }

    // MARK: Expressions

    /// The shape of an expression, reporting what is certainly wrong in it. `lenient`: the subject of
    /// `| default`, where a missing name, member or key is not an error.
    private mutating func shape(of expression: Expression, lenient: Bool = false) -> ValueShape {
        switch expression.kind {
        case .literal(let value):
            return ValueShape(of: value)
        case .list(let items):
            let shapes = items.map { shape(of: $0) }
            return .list(of: shapes.first ?? .unknown)
        case .name(let name):
            return lookup(name, at: expression.offset, lenient: lenient)
        case .member(let base, let name, _):
            return member(name, of: shape(of: base, lenient: lenient), at: expression.offset, lenient: lenient)
        case .index(let base, let index):
            let baseShape = shape(of: base, lenient: lenient)
            let indexShape = shape(of: index)
            if case .literal(.string(let key)) = index.kind {
                return member(key, of: baseShape, at: expression.offset, lenient: lenient)
            }
            if case .list(let element) = baseShape, case .integer = indexShape { return element }
            return .unknown
        case .call(let name, let arguments):
            return call(name, arguments, at: expression.offset)
        case .filter(let base, let name, let arguments):
            return filter(name, base, arguments)
        case .not(let operand):
            _ = shape(of: operand)
            return .boolean
        case .binary(let op, let left, let right):
            _ = shape(of: left)
            _ = shape(of: right)
            switch op {
            case .and, .or: return .unknown
            default: return .boolean
            }
        }
    }

    private mutating func lookup(_ name: String, at offset: Int, lenient: Bool) -> ValueShape {
        for index in scopes.indices.reversed() {
            if let binding = scopes[index][name] {
                scopes[index][name]?.used = true
                return binding.shape
            }
        }
        if let global = globals[name] {
            usedGlobals.insert(name)
            return global
        }
        if functions[name] != nil {
            report("'\(name)' is a function; call it as \(name)(…)", at: offset)
            return .unknown
        }
        undefinedNames.insert(name)
        if guarded.contains(where: { $0.contains(name) }) { return .unknown }
        if !lenient {
            var visible = Set(globals.keys)
            for scope in scopes { visible.formUnion(scope.keys) }
            report("undefined variable '\(name)'" + Suggestion.hint(for: name, among: visible.sorted()), at: offset)
        }
        return .unknown
    }

    private mutating func member(_ name: String, of base: ValueShape, at offset: Int, lenient: Bool) -> ValueShape {
        switch base {
        case .object(let object):
            if let found = object.member(name) { return found }
            if !lenient {
                report("\(Filters.article(object.typeName)) has no member '\(name)'"
                       + Suggestion.hint(for: name, among: object.memberNames), at: offset)
            }
            return .unknown
        case .map(let keys?):
            if let found = keys[name] { return found }
            if !lenient {
                report("no key '\(name)' in this map" + Suggestion.hint(for: name, among: keys.keys.sorted()), at: offset)
            }
            return .unknown
        case .string, .integer, .boolean, .list:
            if !lenient, let typeName = base.typeName {
                report("\(Filters.article(typeName)) has no member '\(name)'", at: offset)
            }
            return .unknown
        case .null:
            if !lenient { report("cannot read '\(name)' of null", at: offset) }
            return .unknown
        case .unknown, .map(keys: nil):
            return .unknown
        }
    }

    private mutating func call(_ name: String, _ arguments: [Argument], at offset: Int) -> ValueShape {
        for argument in arguments { _ = shape(of: argument.value) }
        guard let entry = functions[name] else {
            report(TemplateFunction.unknownMessage(name, known: functions.keys), at: offset)
            return .unknown
        }
        if let first = arguments.first, first.name == nil, case .literal(.string(let text)) = first.value.kind {
            let place = source.diagnostic(.note, "", at: first.value.offset)
            literalCalls.append(LiteralCall(function: name, argument: text, location: place.location,
                                            sourceLine: place.sourceLine))
        }
        guard let signature = entry else { return .unknown }
        let positional = arguments.filter { $0.name == nil }
        if positional.count > signature.positionalCount {
            report("\(name)(): takes at most \(signature.positionalCount) positional argument\(signature.positionalCount == 1 ? "" : "s"), got \(positional.count)",
                   at: offset)
        }
        for argument in arguments {
            guard let label = argument.name, !signature.parameters.contains(label) else { continue }
            report("\(name)(): unknown argument '\(label)'" + Suggestion.hint(for: label, among: signature.parameters),
                   at: argument.value.offset)
        }
        return signature.returns
    }

    private mutating func filter(_ name: String, _ base: Expression, _ arguments: [Argument]) -> ValueShape {
        let subject = shape(of: base, lenient: name == "default")
        for argument in arguments { _ = shape(of: argument.value) }
        // An attribute named by a literal must be a member of the listed objects.
        if ["sort", "where", "map"].contains(name), case .list(.object(let element)) = subject,
           let attribute = arguments.first(where: { $0.name == "attribute" }) ?? arguments.first(where: { $0.name == nil }),
           case .literal(.string(let member)) = attribute.value.kind, element.member(member) == nil {
            report("\(Filters.article(element.typeName)) has no member '\(member)'"
                   + Suggestion.hint(for: member, among: element.memberNames), at: attribute.value.offset)
        }
        switch name {
        case "length", "int": return .integer
        case "lower", "upper", "replace", "join", "string", "json": return .string
        case "first", "last":
            if case .list(let element) = subject { return element }
            return .unknown
        case "sort", "unique", "reverse", "where", "default", "raw": return subject
        case "map":
            if case .list(.object(let element)) = subject,
               let attribute = arguments.first, case .literal(.string(let member)) = attribute.value.kind {
                return .list(of: element.member(member) ?? .unknown)
            }
            return .list(of: .unknown)
        default: return .unknown
        }
    }
}

/// `name("literal", …)` somewhere in a template, with the literal's place.
public struct LiteralCall: Sendable {
    public let function: String
    public let argument: String
    public let location: SourceLocation?
    public let sourceLine: String?

    /// A diagnostic at the literal.
    public func diagnostic(_ severity: Diagnostic.Severity, rule: String, _ message: String) -> Diagnostic {
        Diagnostic(severity: severity, rule: rule, message: message, location: location, sourceLine: sourceLine)
    }
}

/// A `for` over a function's result, and where in the JSON document it writes.
public struct LoopPlace: Sendable {
    public let function: String
    /// `["Dhcp4", "subnet4", "[]", "reservations", "[]"]`.
    public let jsonPath: [String]
    public let location: SourceLocation?
    public let sourceLine: String?
}
