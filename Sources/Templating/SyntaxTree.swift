/// A parsed template: a value, shareable between renders and threads. Includes are resolved at parse time,
/// so the tree is complete and rendering never touches the file system.
struct Template: Sendable {
    let source: SourceText
    let nodes: [Node]
}

/// One piece of the template body. Every node keeps the byte offset of its tag for diagnostics.
indirect enum Node: Sendable {
    /// Literal text and the byte offset where it starts in its source (for the render's source map).
    case text(String, offset: Int)
    case output(Output)
    case forLoop(ForLoop)
    case conditional(Conditional)
    case set(name: String, value: Expression, offset: Int)
    case include(Template, offset: Int)
    case error(message: Expression, offset: Int)
    case warn(message: Expression, offset: Int)

    struct Output: Sendable {
        /// How the value is written, decided by the trailing filter: `| raw` writes text verbatim,
        /// `| json` writes JSON text (escaped for the context), otherwise the context's escaping.
        enum Mode: Sendable, Equatable {
            case escaped, raw, json
        }

        let expression: Expression
        let context: OutputContext
        let mode: Mode
        let offset: Int
        /// For `{{ r.mac }}` (escaped, a member of a variable): the member's place and the variable's number, so the
        /// renderer tells a run of one variable's members by comparing integers.
        var variableMember: VariableMember? = nil
    }

    /// An `a.b` output, in integers: `site` as in `Expression.Kind.member`, `variable` numbering the name `a` (one
    /// number per distinct name in a parse session).
    struct VariableMember: Sendable, Equatable {
        let site: Int
        let variable: Int
    }

    struct ForLoop: Sendable {
        let variable: String
        /// `for key, value in map`: the second name gets the value.
        let valueVariable: String?
        let sequence: Expression
        let separator: String?
        let body: [Node]
        let emptyBody: [Node]
        let offset: Int
        let separatorPlacement: SeparatorPlacement
        /// Whether the body reads `loop`; when not, the renderer binds no loop object per item.
        let readsLoopVariable: Bool
        /// The body as one member run, when it is nothing but text and members of the item (`MemberRun`).
        let bodyRun: MemberRun?

        init(variable: String, valueVariable: String?, sequence: Expression, separator: String?, body: [Node],
             emptyBody: [Node], offset: Int) {
            self.variable = variable
            self.valueVariable = valueVariable
            self.sequence = sequence
            self.separator = separator
            self.body = body
            self.emptyBody = emptyBody
            self.offset = offset
            separatorPlacement = SeparatorPlacement(separator: separator, body: body)
            readsLoopVariable = Node.read("loop", in: body)
            bodyRun = valueVariable == nil ? MemberRun(wholeBody: body, variable: variable) : nil
        }
    }

    struct Conditional: Sendable {
        struct Branch: Sendable {
            let condition: Expression
            let body: [Node]
        }

        let branches: [Branch]
        let elseBody: [Node]
        let offset: Int
    }
}

/// An expression inside a tag, with the byte offset of the token that names it (the member, the operator, the
/// filter), which is where an error about it points.
struct Expression: Sendable {
    indirect enum Kind: Sendable {
        case literal(Value)
        case list([Expression])
        case name(String)
        /// `base.name`; `site` numbers this place in the template (per parse session), for the renderer's cache of
        /// the member's position in each object type it meets here.
        case member(Expression, String, site: Int)
        case index(Expression, Expression)
        case call(String, [Argument])
        case filter(Expression, String, [Argument])
        case not(Expression)
        case binary(BinaryOperator, Expression, Expression)
    }

    let kind: Kind
    let offset: Int
    /// Height of the tree below this node; the parser bounds it so evaluation cannot exhaust the stack.
    let depth: Int

    init(kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
        switch kind {
        case .literal, .name: depth = 1
        case .list(let items): depth = 1 + (items.map(\.depth).max() ?? 0)
        case .member(let base, _, _), .not(let base): depth = 1 + base.depth
        case .index(let base, let index): depth = 1 + max(base.depth, index.depth)
        case .call(_, let arguments): depth = 1 + (arguments.map(\.value.depth).max() ?? 0)
        case .filter(let base, _, let arguments): depth = 1 + max(base.depth, arguments.map(\.value.depth).max() ?? 0)
        case .binary(_, let left, let right): depth = 1 + max(left.depth, right.depth)
        }
    }
}

struct Argument: Sendable {
    let name: String?
    let value: Expression
}

enum BinaryOperator: String, Sendable {
    case and, or
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case contains = "in"
    case notContains = "not in"
}
