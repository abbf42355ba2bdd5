import Diagnostics
/// Recursive descent from tokens to the syntax tree, tracking the JSON context across the literal text so each
/// `{{ }}` gets its escaping and each `if` branch / `for` body is checked to leave the context as it found it.
/// Errors are collected and parsing resumes at the next tag, so one run reports several mistakes.
struct Parser {
    struct Failure: Error {
        /// nil: already reported (by the lexer), stay silent.
        let message: String?
        let offset: Int
    }

    private struct OpenBlock {
        let keyword: String
        let offset: Int
        let expected: [String]
        /// A stray closing tag already named this block as unclosed; do not say it again at the end.
        var reported = false
    }

    private enum BlockEnd {
        case tag(String, offset: Int)
        case endOfTemplate
        /// A tag that closes an outer block was found; already reported, the outer block takes it.
        case abandoned
    }

    static let statementKeywords = ["for", "if", "elif", "else", "endif", "endfor", "set", "include", "error", "warn"]
    static let closingKeywords: Set<String> = ["elif", "else", "endif", "endfor"]
    static let maximumNesting = 100

    let source: SourceText
    var tokens: [Token]
    var position = 0
    var session: ParseSession
    var context: JSONContext
    private var blocks: [OpenBlock] = []
    var expressionDepth = 0

    /// Parses one file; its diagnostics land in `session`.
    static func parse(_ source: SourceText, startingIn context: JSONContext, session: inout ParseSession) -> Template {
        parseIncluded(source, startingIn: context, session: &session).template
    }

    private init(source: SourceText, tokens: [Token], session: ParseSession, context: JSONContext) {
        self.source = source
        self.tokens = tokens
        self.session = session
        self.context = context
    }

    private mutating func parseTemplate() -> [Node] {
        let (nodes, _) = parseNodes(until: [])
        return nodes
    }

    // MARK: - Token access

    var current: Token { tokens[position] }

    mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    func isName(_ name: String) -> Bool { current.kind == .name(name) }

    mutating func report(_ message: String, at offset: Int, notes: [Diagnostic] = []) {
        session.diagnostics.append(source.diagnostic(.error, message, at: offset, notes: notes))
    }

    private mutating func report(_ failure: Failure) {
        if let message = failure.message { report(message, at: failure.offset) }
    }

    /// Recovery: drop the rest of the current tag.
    private mutating func skipTag() {
        while true {
            switch current.kind {
            case .tagClose:
                advance()
                return
            case .end, .outputOpen, .statementOpen, .text:
                return
            default:
                advance()
            }
        }
    }

    private mutating func expectTagClose(after what: String) throws(Failure) {
        switch current.kind {
        case .tagClose:
            advance()
        case .bad:
            throw Failure(message: nil, offset: current.offset)
        default:
            throw Failure(message: "expected the end of the tag after \(what), found \(current.described)", offset: current.offset)
        }
    }

    // MARK: - Blocks

    private mutating func parseNodes(until terminators: Set<String>) -> ([Node], BlockEnd) {
        var nodes: [Node] = []
        while true {
            let token = current
            switch token.kind {
            case .end:
                return (nodes, .endOfTemplate)
            case .text(let range):
                context.advance(over: source.bytes, range, path: source.path)
                nodes.append(.text(source.slice(range.lowerBound, range.upperBound), offset: range.lowerBound))
                advance()
            case .outputOpen:
                advance()
                if let node = parseOutput(at: token.offset) { nodes.append(node) }
            case .statementOpen:
                advance()
                guard case .name(let keyword) = current.kind else {
                    if current.kind != .bad {
                        let message = "expected a statement (\(Parser.statementKeywords.prefix(2).joined(separator: ", ")), …) after '{%', found \(current.described)"
                        if context.state == .string, context.opener?.path == source.path {
                            session.diagnostics.append(Lexer.literalHint(in: source, "{%", at: token.offset, because: message))
                        } else {
                            report(message, at: current.offset)
                        }
                    }
                    skipTag()
                    continue
                }
                let keywordOffset = current.offset
                if terminators.contains(keyword) {
                    advance()
                    return (nodes, .tag(keyword, offset: token.offset))
                }
                if Parser.closingKeywords.contains(keyword), let innermost = blocks.last {
                    report("found '\(keyword)'; expected \(Parser.quotedList(innermost.expected)) to close the '\(innermost.keyword)' opened at \(source.shortPosition(of: innermost.offset))",
                           at: keywordOffset,
                           notes: [source.diagnostic(.note, "'\(innermost.keyword)' opened here", at: innermost.offset)])
                    blocks[blocks.count - 1].reported = true
                    if blocks.contains(where: { $0.expected.contains(keyword) }) {
                        // Closes an outer block: the inner one was left open. Let the outer block take the tag.
                        position -= 1
                        return (nodes, .abandoned)
                    }
                    skipTag()
                    continue
                }
                advance()
                if let node = parseStatement(keyword, tagOffset: token.offset, keywordOffset: keywordOffset) {
                    nodes.append(node)
                }
            default:
                // Tokens outside a tag cannot happen; skip defensively rather than loop.
                advance()
            }
        }
    }

    static func quotedList(_ words: [String]) -> String {
        let quoted = words.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "")
    }

    private mutating func parseStatement(_ keyword: String, tagOffset: Int, keywordOffset: Int) -> Node? {
        do throws(Failure) {
            switch keyword {
            case "for": return try parseFor(tagOffset: tagOffset)
            case "if": return try parseIf(tagOffset: tagOffset)
            case "set":
                guard case .name(let name) = current.kind else {
                    throw Failure(message: "expected a variable name after 'set', found \(current.described)", offset: current.offset)
                }
                advance()
                guard isSymbol("=") else {
                    throw Failure(message: "expected '=' after 'set \(name)', found \(current.described)", offset: current.offset)
                }
                advance()
                let value = try parseExpression()
                try expectTagClose(after: "the value of 'set'")
                return .set(name: name, value: value, offset: tagOffset)
            case "include": return try parseInclude(tagOffset: tagOffset)
            case "error", "warn":
                let message = try parseExpression()
                try expectTagClose(after: "the message of '\(keyword)'")
                return keyword == "error" ? .error(message: message, offset: tagOffset) : .warn(message: message, offset: tagOffset)
            case "elif", "else", "endif", "endfor":
                let owner = keyword == "endfor" ? "'for'" : (keyword == "else" ? "'if' or 'for'" : "'if'")
                throw Failure(message: "found '\(keyword)' outside any \(owner) block", offset: keywordOffset)
            default:
                var message = "unknown tag '\(keyword)'"
                if let innermost = blocks.last {
                    message += Suggestion.hint(for: keyword, among: innermost.expected + Parser.statementKeywords)
                    message += "; expected \(Parser.quotedList(innermost.expected)) to close the '\(innermost.keyword)' opened at \(source.shortPosition(of: innermost.offset))"
                } else {
                    message += Suggestion.hint(for: keyword, among: Parser.statementKeywords)
                }
                if context.state == .string, context.opener?.path == source.path {
                    session.diagnostics.append(Lexer.literalHint(in: source, "{%", at: tagOffset, because: message))
                    throw Failure(message: nil, offset: tagOffset)
                }
                throw Failure(message: message, offset: keywordOffset)
            }
        } catch {
            report(error)
            skipTag()
            return nil
        }
    }

    /// Parses a block body up to one of `terminators`, reporting an unclosed block at the end of the template.
    private mutating func parseBody(of keyword: String, at offset: Int, until terminators: [String]) -> ([Node], BlockEnd) {
        guard session.nestingBase + blocks.count < Parser.maximumNesting else {
            report("blocks and includes nested more than \(Parser.maximumNesting) deep", at: offset)
            return ([], skipBody(until: terminators))
        }
        blocks.append(OpenBlock(keyword: keyword, offset: offset, expected: terminators))
        let result = parseNodes(until: Set(terminators))
        let alreadyReported = blocks.removeLast().reported
        if case .endOfTemplate = result.1, !alreadyReported {
            // Reported at the opening tag, where the cause is (and where CI's annotation is useful), with the end
            // of the file as the note.
            report("'\(keyword)' is not closed; expected \(Parser.quotedList(terminators)) before the end of the template",
                   at: offset,
                   notes: [source.diagnostic(.note, "the template ends here", at: current.offset)])
        }
        return result
    }

    /// Beyond the nesting limit a body is skipped without recursing into it, counting the blocks opened and closed
    /// inside to find its end: parsing it would recurse once per level (3,000 nested `for` overflowed the stack,
    /// found by scripts/fuzz) and re-report the limit at each one.
    private mutating func skipBody(until terminators: [String]) -> BlockEnd {
        var depth = 0
        while true {
            switch current.kind {
            case .end:
                return .endOfTemplate
            case .statementOpen:
                let tagOffset = current.offset
                advance()
                if case .name(let keyword) = current.kind {
                    if keyword == "for" || keyword == "if" {
                        depth += 1
                    } else if depth > 0, keyword == "endfor" || keyword == "endif" {
                        depth -= 1
                    } else if depth == 0, terminators.contains(keyword) {
                        advance()
                        return .tag(keyword, offset: tagOffset)
                    }
                }
                skipTag()
            default:
                advance()
            }
        }
    }

    /// The rule that keeps data from escaping: a branch or loop body ends in the JSON context it began in.
    private mutating func checkBalanced(from start: JSONContext, construct: String, at offset: Int) {
        guard !context.sameState(as: start) else { return }
        let note = source.diagnostic(.note, "'\(construct)' opened here", at: offset)
        let part = construct == "for" ? "'for' body" : "'if' branch"
        if !context.isOutside, let mark = context.opener {
            session.report("\(context.describedState) opened here is still open at the end of this \(part); each branch of an 'if' and the body of a 'for' must leave the JSON context as it found it",
                           at: mark, notes: [note])
        } else if let mark = start.opener {
            session.report("\(start.describedState) opened here is closed inside this \(part); each branch of an 'if' and the body of a 'for' must leave the JSON context as it found it",
                           at: mark, notes: [note])
        } else {
            report("this '\(construct)' changes the JSON context (now in \(context.describedState)); each branch must leave it as it found it",
                   at: offset)
        }
    }

    private mutating func finishBlockTag(_ end: BlockEnd) {
        guard case .tag(let keyword, _) = end else { return }
        do {
            try expectTagClose(after: "'\(keyword)'")
        } catch {
            report(error)
            skipTag()
        }
    }

    private mutating func parseFor(tagOffset: Int) throws(Failure) -> Node? {
        var header: (variable: String, valueVariable: String?, sequence: Expression, separator: String?)?
        do throws(Failure) {
            guard case .name(let variable) = current.kind, !["in", "loop"].contains(variable) else {
                throw Failure(message: "expected a loop variable name after 'for', found \(current.described)", offset: current.offset)
            }
            advance()
            var valueVariable: String?
            if isSymbol(",") {
                advance()
                guard case .name(let second) = current.kind, !["in", "loop"].contains(second) else {
                    throw Failure(message: "expected a second loop variable name after ',', found \(current.described)", offset: current.offset)
                }
                valueVariable = second
                advance()
            }
            guard isName("in") else {
                throw Failure(message: "expected 'in' after the loop variable, found \(current.described)", offset: current.offset)
            }
            advance()
            let sequence = try parseExpression()
            var separator: String?
            if isName("sep") {
                advance()
                guard case .string(let text) = current.kind else {
                    throw Failure(message: "expected a string after 'sep', found \(current.described)", offset: current.offset)
                }
                var probe = context
                probe.advance(over: Array(text.utf8), 0..<text.utf8.count, path: source.path)
                if !probe.sameState(as: context) {
                    throw Failure(message: "the separator changes the JSON context (it would leave \(probe.describedState) open)", offset: current.offset)
                }
                separator = text
                advance()
            }
            try expectTagClose(after: "the 'for' header")
            header = (variable, valueVariable, sequence, separator)
        } catch {
            // Still parse the body so its 'endfor' matches and later errors are real ones.
            report(error)
            skipTag()
        }
        let start = context
        let (body, end) = parseBody(of: "for", at: tagOffset, until: ["endfor", "else"])
        checkBalanced(from: start, construct: "for", at: tagOffset)
        context = start
        var emptyBody: [Node] = []
        if case .tag("else", _) = end {
            finishBlockTag(end)
            let (elseNodes, elseEnd) = parseBody(of: "for", at: tagOffset, until: ["endfor"])
            checkBalanced(from: start, construct: "for", at: tagOffset)
            context = start
            emptyBody = elseNodes
            finishBlockTag(elseEnd)
        } else {
            finishBlockTag(end)
        }
        guard let header else { return nil }
        return .forLoop(Node.ForLoop(variable: header.variable, valueVariable: header.valueVariable, sequence: header.sequence, separator: header.separator,
                                     body: body, emptyBody: emptyBody, offset: tagOffset))
    }

    private mutating func parseIf(tagOffset: Int) throws(Failure) -> Node? {
        let start = context
        var branches: [Node.Conditional.Branch] = []
        var elseBody: [Node] = []
        var valid = true
        var condition = parseConditionHeader(valid: &valid)
        while true {
            context = start
            let (body, end) = parseBody(of: "if", at: tagOffset, until: ["elif", "else", "endif"])
            checkBalanced(from: start, construct: "if", at: tagOffset)
            if let condition { branches.append(.init(condition: condition, body: body)) }
            switch end {
            case .tag("elif", _):
                condition = parseConditionHeader(valid: &valid)
                continue
            case .tag("else", _):
                finishBlockTag(end)
                context = start
                let (body, elseEnd) = parseBody(of: "if", at: tagOffset, until: ["endif"])
                checkBalanced(from: start, construct: "if", at: tagOffset)
                elseBody = body
                finishBlockTag(elseEnd)
            default:
                finishBlockTag(end)
            }
            break
        }
        context = start
        guard valid else { return nil }
        return .conditional(Node.Conditional(branches: branches, elseBody: elseBody, offset: tagOffset))
    }

    private mutating func parseConditionHeader(valid: inout Bool) -> Expression? {
        do {
            let condition = try parseExpression()
            try expectTagClose(after: "the condition")
            return condition
        } catch {
            report(error)
            skipTag()
            valid = false
            return nil
        }
    }

    private mutating func parseInclude(tagOffset: Int) throws(Failure) -> Node? {
        guard case .string(let written) = current.kind else {
            throw Failure(message: "expected a quoted path after 'include', found \(current.described)", offset: current.offset)
        }
        advance()
        try expectTagClose(after: "the include path")
        let path = IncludePath.resolve(written, relativeTo: source.path)
        let chain = session.chain.isEmpty ? [source.path] : session.chain
        if chain.contains(path) {
            throw Failure(message: "include cycle: " + (chain + [path]).joined(separator: " -> "), offset: tagOffset)
        }
        if session.nestingBase + blocks.count + 1 >= Parser.maximumNesting {
            throw Failure(message: "blocks and includes nested more than \(Parser.maximumNesting) deep", offset: tagOffset)
        }
        let key = "\(path)\u{0}\(context.state)"
        if let cached = session.cache[key] { return .include(cached, offset: tagOffset) }
        let loaded: TemplateSource
        do {
            loaded = try session.loader.load(path)
        } catch {
            throw Failure(message: "cannot include '\(written)': \(error)", offset: tagOffset)
        }
        let included = SourceText(path: path, text: loaded.text)
        let start = context
        let savedChain = session.chain
        session.chain = chain + [path]
        let savedBase = session.nestingBase
        session.nestingBase += blocks.count + 1
        var childSession = session
        let template = Parser.parseIncluded(included, startingIn: start, session: &childSession)
        session = childSession
        session.chain = savedChain
        session.nestingBase = savedBase
        session.cache[key] = template.template
        if !template.end.sameState(as: start) {
            let note = source.diagnostic(.note, "included here", at: tagOffset)
            if !template.end.isOutside, let mark = template.end.opener {
                session.report("\(template.end.describedState) opened here is still open at the end of the included template; an include must leave the JSON context as it found it", at: mark, notes: [note])
            } else {
                report("the included template '\(written)' changes the JSON context (it ends in \(template.end.describedState))", at: tagOffset)
            }
        }
        return .include(template.template, offset: tagOffset)
    }

    private static func parseIncluded(_ source: SourceText, startingIn context: JSONContext,
                                      session: inout ParseSession) -> (template: Template, end: JSONContext) {
        session.sources[source.path] = source
        var lexer = Lexer(source: source, startingIn: context)
        let tokens = lexer.tokenize()
        session.diagnostics += lexer.diagnostics
        var parser = Parser(source: source, tokens: tokens, session: session, context: context)
        let nodes = parser.parseTemplate()
        session = parser.session
        return (Template(source: source, nodes: nodes), parser.context)
    }

    /// The top-level template must not end inside a string or block comment: Kea would reject it, and a value
    /// rendered there would have been escaped for the wrong context.
    static func parseRoot(_ source: SourceText, session: inout ParseSession) -> Template {
        session.chain = [source.path]
        let (template, end) = parseIncluded(source, startingIn: JSONContext(), session: &session)
        if let mark = end.opener, end.state != .lineComment, !end.isOutside {
            session.report("\(end.describedState) opened here is never closed", at: mark)
        }
        return template
    }

    // MARK: - Output

    private mutating func parseOutput(at offset: Int) -> Node? {
        do throws(Failure) {
            var expression = try parseExpression()
            try expectTagClose(after: "the expression")
            var mode = Node.Output.Mode.escaped
            if case .filter(let inner, let name, let arguments) = expression.kind, arguments.isEmpty,
               name == "raw" || name == "json" {
                mode = name == "raw" ? .raw : .json
                if mode == .raw {
                    session.warnings.append(source.diagnostic(.warning, rule: "raw-output", "'| raw' writes this value without escaping; make sure it cannot break the JSON", at: expression.offset))
                }
                expression = inner
            }
            if let misplaced = Parser.findFilter("raw", in: expression) {
                throw Failure(message: "'raw' can only be the last filter of a '{{ }}' tag", offset: misplaced)
            }
            guard let outputContext = context.outputContext else {
                throw Failure(message: "a '{{ }}' tag cannot follow a backslash inside a JSON string", offset: offset)
            }
            context.afterOutput()
            var output = Node.Output(expression: expression, context: outputContext, mode: mode, offset: offset)
            if mode == .escaped, case .member(let base, _, let site) = expression.kind, case .name(let variable) = base.kind {
                output.variableMember = Node.VariableMember(site: site, variable: session.number(ofVariable: variable))
            }
            return .output(output)
        } catch {
            if let message = error.message, context.state == .string, context.opener?.path == source.path {
                session.diagnostics.append(Lexer.literalHint(in: source, "{{", at: offset, because: message))
            } else {
                report(error)
            }
            skipTag()
            context.afterOutput()
            return nil
        }
    }

    static func findFilter(_ filter: String, in expression: Expression) -> Int? {
        switch expression.kind {
        case .literal, .name: return nil
        case .list(let items): return items.lazy.compactMap { findFilter(filter, in: $0) }.first
        case .member(let base, _, _), .not(let base): return findFilter(filter, in: base)
        case .index(let base, let index): return findFilter(filter, in: base) ?? findFilter(filter, in: index)
        case .binary(_, let left, let right): return findFilter(filter, in: left) ?? findFilter(filter, in: right)
        case .call(_, let arguments): return arguments.lazy.compactMap { findFilter(filter, in: $0.value) }.first
        case .filter(let base, let name, let arguments):
            if name == filter { return expression.offset }
            return findFilter(filter, in: base) ?? arguments.lazy.compactMap { findFilter(filter, in: $0.value) }.first
        }
    }
}
