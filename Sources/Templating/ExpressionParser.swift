/// The expression grammar, lowest precedence first:
/// or < and < not < comparison (== != < <= > >= in, not in) < filter (`|`) < postfix (.name [index] (call)) < primary.
extension Parser {
    mutating func parseExpression() throws(Failure) -> Expression {
        expressionDepth += 1
        defer { expressionDepth -= 1 }
        guard expressionDepth < 64 else {
            throw Failure(message: "expression nested too deeply", offset: current.offset)
        }
        return try parseOr()
    }

    private mutating func parseOr() throws(Failure) -> Expression {
        var left = try parseAnd()
        while isName("or") {
            let offset = current.offset
            advance()
            let right = try parseAnd()
            left = try node(kind: .binary(.or, left, right), offset: offset)
        }
        return left
    }

    private mutating func parseAnd() throws(Failure) -> Expression {
        var left = try parseNot()
        while isName("and") {
            let offset = current.offset
            advance()
            let right = try parseNot()
            left = try node(kind: .binary(.and, left, right), offset: offset)
        }
        return left
    }

    private mutating func parseNot() throws(Failure) -> Expression {
        if isName("not") {
            let offset = current.offset
            advance()
            expressionDepth += 1
            defer { expressionDepth -= 1 }
            guard expressionDepth < 64 else {
                throw Failure(message: "expression nested too deeply", offset: offset)
            }
            let operand = try parseNot()
            return try node(kind: .not(operand), offset: offset)
        }
        return try parseComparison()
    }

    private mutating func comparisonOperator() -> BinaryOperator? {
        switch current.kind {
        case .symbol(let symbol):
            switch symbol {
            case "==": return .equal
            case "!=": return .notEqual
            case "<": return .less
            case "<=": return .lessOrEqual
            case ">": return .greater
            case ">=": return .greaterOrEqual
            default: return nil
            }
        case .name("in"):
            return .contains
        case .name("not"):
            if position + 1 < tokens.count, tokens[position + 1].kind == .name("in") { return .notContains }
            return nil
        default:
            return nil
        }
    }

    private mutating func parseComparison() throws(Failure) -> Expression {
        var left = try parseFiltered()
        while let op = comparisonOperator() {
            let offset = current.offset
            advance()
            if op == .notContains { advance() }
            let right = try parseFiltered()
            left = try node(kind: .binary(op, left, right), offset: offset)
        }
        return left
    }

    private mutating func parseFiltered() throws(Failure) -> Expression {
        var base = try parsePostfix()
        while isSymbol("|") {
            advance()
            guard case .name(let name) = current.kind else {
                throw unexpected("a filter name after '|'")
            }
            let offset = current.offset
            advance()
            var arguments: [Argument] = []
            if isSymbol("(") { arguments = try parseArguments() }
            if let problem = Filters.argumentProblem(filter: name, positionalCount: arguments.filter { $0.name == nil }.count,
                                                     names: arguments.compactMap(\.name)) {
                throw Failure(message: problem, offset: offset)
            }
            base = try node(kind: .filter(base, name, arguments), offset: offset)
        }
        return base
    }

    private mutating func parsePostfix() throws(Failure) -> Expression {
        var base = try parsePrimary()
        while true {
            if isSymbol(".") {
                advance()
                guard case .name(let name) = current.kind else { throw unexpected("a member name after '.'") }
                base = try node(kind: .member(base, name, site: session.memberSites), offset: current.offset)
                session.memberSites += 1
                advance()
            } else if isSymbol("[") {
                let offset = current.offset
                advance()
                let index = try parseExpression()
                guard isSymbol("]") else { throw unexpected("']'") }
                advance()
                base = try node(kind: .index(base, index), offset: offset)
            } else if isSymbol("(") {
                guard case .name(let name) = base.kind else {
                    throw Failure(message: "only functions can be called", offset: current.offset)
                }
                let arguments = try parseArguments()
                base = try node(kind: .call(name, arguments), offset: base.offset)
            } else {
                return base
            }
        }
    }

    /// `(a, b, key=value)`; positional arguments must come first, as in Python.
    private mutating func parseArguments() throws(Failure) -> [Argument] {
        advance()
        var arguments: [Argument] = []
        while !isSymbol(")") {
            if !arguments.isEmpty {
                guard isSymbol(",") else { throw unexpected("',' or ')'") }
                advance()
            }
            if case .name(let name) = current.kind, position + 1 < tokens.count, tokens[position + 1].kind == .symbol("=") {
                advance()
                advance()
                arguments.append(Argument(name: name, value: try parseExpression()))
            } else {
                let offset = current.offset
                let value = try parseExpression()
                if arguments.contains(where: { $0.name != nil }) {
                    throw Failure(message: "positional argument after a named argument", offset: offset)
                }
                arguments.append(Argument(name: nil, value: value))
            }
        }
        advance()
        return arguments
    }

    private mutating func parsePrimary() throws(Failure) -> Expression {
        let token = current
        switch token.kind {
        case .string(let text):
            advance()
            return try node(kind: .literal(.string(text)), offset: token.offset)
        case .int(let number):
            advance()
            return try node(kind: .literal(.int(number)), offset: token.offset)
        case .symbol("-"):
            advance()
            guard case .int(let number) = current.kind else { throw unexpected("a number after '-'") }
            advance()
            return try node(kind: .literal(.int(-number)), offset: token.offset)
        case .name(let name):
            advance()
            switch name {
            case "true": return try node(kind: .literal(.bool(true)), offset: token.offset)
            case "false": return try node(kind: .literal(.bool(false)), offset: token.offset)
            case "null", "none": return try node(kind: .literal(.null), offset: token.offset)
            case "and", "or", "not", "in":
                throw Failure(message: "expected a value, found '\(name)'", offset: token.offset)
            default: return try node(kind: .name(name), offset: token.offset)
            }
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            guard isSymbol(")") else { throw unexpected("')'") }
            advance()
            return inner
        case .symbol("["):
            advance()
            var items: [Expression] = []
            while !isSymbol("]") {
                if !items.isEmpty {
                    guard isSymbol(",") else { throw unexpected("',' or ']'") }
                    advance()
                    if isSymbol("]") { break }
                }
                items.append(try parseExpression())
            }
            advance()
            return try node(kind: .list(items), offset: token.offset)
        case .bad:
            throw Failure(message: nil, offset: token.offset)
        default:
            throw unexpected("a value")
        }
    }

    static let maximumDepth = 200

    /// Every node goes through here so no expression is deeper than the renderer's recursion can afford,
    /// whether built by nesting or by a long chain (`a or b or c …`, `a.b.c…`).
    private func node(kind: Expression.Kind, offset: Int) throws(Failure) -> Expression {
        let expression = Expression(kind: kind, offset: offset)
        guard expression.depth <= Parser.maximumDepth else {
            throw Failure(message: "expression nested too deeply", offset: offset)
        }
        return expression
    }

    func unexpected(_ expected: String) -> Failure {
        if current.kind == .bad { return Failure(message: nil, offset: current.offset) }
        return Failure(message: "expected \(expected), found \(current.described)", offset: current.offset)
    }
}
