import Diagnostics
/// Walks the syntax tree once, appending to a single byte buffer (no per-iteration parsing, no string
/// concatenation chains), with a stack of variable scopes. Strict: a missing name, member or key fails at its
/// location unless `| default` catches it.
struct Renderer {
    struct Failure: Error {
        let message: String
        let offset: Int
        let source: SourceText
        /// "included from here" for each include the error passed through, innermost first.
        var notes: [Diagnostic] = []

        var diagnostic: Diagnostic { source.diagnostic(.error, message, at: offset, notes: notes) }
    }

    let globals: [String: Value]
    let functions: [String: TemplateFunction]
    private(set) var output: [UInt8] = []
    private(set) var warnings: [Diagnostic] = []
    private var warned = Set<String>()
    /// Variables set by `set` and `for`, innermost last; names are few and short, so a backward scan beats hashing
    /// on every access. The current scope (the top level, or one loop iteration) starts at `scopeStart`.
    private var bindingNames: [String] = []
    private var bindingValues: [Value] = []
    private var scopeStart = 0
    private var source: SourceText
    /// Where each piece of output came from; kept only when asked for (lint), as it costs memory per node.
    private(set) var sourceMap: SourceMap?
    /// Per `a.b` place in the template (`Expression.Kind.member`'s site): the object type last seen there and the
    /// member's position in it, so a member read in a loop is found without comparing names.
    private var memberSites: [MemberSite?]
    /// The runs `writeMembersDirectly` writes, by the template place of their first member (its site).
    private var memberRuns: [MemberRun?]

    private struct MemberSite {
        /// The object type's `memberLayout`.
        let layout: ObjectIdentifier
        /// nil: the type reads this member by name only, or has no such member.
        let index: Int?
    }

    init(source: SourceText, globals: [String: Value], functions: [String: TemplateFunction],
         memberSites: Int = 0, recordingSourceMap: Bool = false, expectedSize: Int = 0) {
        self.source = source
        self.memberSites = Array(repeating: nil, count: memberSites)
        memberRuns = Array(repeating: nil, count: memberSites)
        if recordingSourceMap { sourceMap = SourceMap() }
        self.globals = globals
        self.functions = functions
        // A little more than expected, so that a text that grew a bit since is not copied once at its very end.
        if expectedSize > source.bytes.count * 2 {
            output.reserveCapacity(expectedSize + max(expectedSize / 16, 64 << 10))
        } else {
            output.reserveCapacity(source.bytes.count * 2)
        }
    }

    private func fail(_ message: String, at offset: Int) -> Failure {
        Failure(message: message, offset: offset, source: source)
    }

    // MARK: - Statements

    mutating func render(_ nodes: [Node], from start: Int = 0) throws(Failure) {
        var position = start
        while position < nodes.count {
            let node = nodes[position]
            position += 1
            switch node {
            case .text(let text, let offset):
                sourceMap?.record(outputOffset: output.count, source: source, sourceOffset: offset, verbatim: true)
                var literal = text
                // As one copy of the stored bytes: appending the UTF8View goes through it element by element.
                literal.withUTF8 { output.append(contentsOf: $0) }
            case .output(let node):
                let next = writeMembersDirectly(nodes, from: position - 1, site: node.variableMember?.site)
                if next > position - 1 {
                    position = next
                    continue
                }
                sourceMap?.record(outputOffset: output.count, source: source, sourceOffset: node.offset, verbatim: false)
                try write(node)
            case .forLoop(let loop):
                try render(loop)
            case .conditional(let conditional):
                var chosen = conditional.elseBody
                for branch in conditional.branches where try evaluate(branch.condition).isTruthy {
                    chosen = branch.body
                    break
                }
                try render(chosen)
            case .set(let name, let expression, _):
                let value = try evaluate(expression)
                if let existing = bindingNames[scopeStart...].lastIndex(of: name) {
                    bindingValues[existing] = value
                } else {
                    bind(name, value)
                }
            case .include(let template, let offset):
                let saved = source
                source = template.source
                defer { source = saved }
                do {
                    try render(template.nodes)
                } catch {
                    var failure = error
                    failure.notes.append(saved.diagnostic(.note, "included from here", at: offset))
                    throw failure
                }
            case .error(let message, let offset):
                throw fail(try messageText(message), at: offset)
            case .warn(let message, let offset):
                let text = try messageText(message)
                let diagnostic = source.diagnostic(.warning, text, at: offset)
                if warned.insert("\(source.path)\u{0}\(offset)\u{0}\(text)").inserted { warnings.append(diagnostic) }
            }
        }
    }

    /// Writes a `for` separator between two items. A one-line separator goes right after the previous item's last
    /// visible character, before the whitespace that ends it, so the natural block form
    /// `{% for … sep "," %}` / `  { … }` / `{% endfor %}` renders as `{ … },` lines, the way a person writes JSON.
    /// Where that spot could be inside a comment (the line holds comment markers) it goes at the end as written.
    private mutating func writeSeparator(_ bytes: [UInt8], after itemStart: Int, _ placement: SeparatorPlacement) {
        switch placement {
        case .atEnd:
            output.append(contentsOf: bytes)
            return
        case .beforeTrailingBlanks(let blanks):
            insert(bytes, at: output.count - blanks)
            return
        case .beforeTrailingBlanksIfItemStartsLine(let blanks, let mayHoldComment)
            where itemStart == 0 || output[itemStart - 1] == UInt8(ascii: "\n"):
            if mayHoldComment { output.append(contentsOf: bytes) } else { insert(bytes, at: output.count - blanks) }
            return
        case .beforeTrailingBlanksIfItemStartsLine, .scan:
            break
        }
        var point = output.count
        if !bytes.contains(UInt8(ascii: "\n")) {
            while point > itemStart, Renderer.isBlank(output[point - 1]) { point -= 1 }
        }
        if point == output.count || point == itemStart || Renderer.lineMayHoldComment(output, endingAt: point) {
            output.append(contentsOf: bytes)
        } else {
            insert(bytes, at: point)
        }
    }

    private mutating func insert(_ bytes: [UInt8], at point: Int) {
        // Appended, then the few bytes after `point` (an item's trailing blanks) moved behind it: the array's own
        // insert goes through its general range replacement, once per item of every loop with a separator.
        let end = output.count
        output.append(contentsOf: bytes)
        output.withUnsafeMutableBufferPointer { buffer in
            var index = end
            while index > point {
                index -= 1
                buffer[index + bytes.count] = buffer[index]
            }
            for (offset, byte) in bytes.enumerated() { buffer[point + offset] = byte }
        }
        sourceMap?.shift(from: point, by: bytes.count)
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// Whether the output line that ends at `end` has a comment marker (`//`, `#`, `/*`, `*/`) outside JSON strings.
    static func lineMayHoldComment(_ output: [UInt8], endingAt end: Int) -> Bool {
        var start = end
        while start > 0, output[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        var inString = false
        var index = start
        while index < end {
            let byte = output[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "#") {
                return true
            } else if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "*"), index + 1 < end,
                      output[index + 1] == UInt8(ascii: "/") || output[index + 1] == UInt8(ascii: "*") {
                return true
            }
            index += 1
        }
        return inString
    }

    private mutating func messageText(_ expression: Expression) throws(Failure) -> String {
        let value = try evaluate(expression)
        return value.scalarText ?? JSONEncoding.compactText(of: value)
    }

    private mutating func render(_ loop: Node.ForLoop) throws(Failure) {
        let sequence = try evaluate(loop.sequence)
        let items: [Value]
        var values: [Value] = []
        switch sequence {
        case .list(let list):
            guard loop.valueVariable == nil else {
                throw fail("'for \(loop.variable), \(loop.valueVariable ?? "")' needs a map, got a list", at: loop.sequence.offset)
            }
            items = list
        case .map(let map):
            items = map.keys.map { .string($0) }
            if loop.valueVariable != nil { values = map.map(\.value) }
        default: throw fail("cannot loop over \(Filters.article(sequence.typeName)); expected a list", at: loop.sequence.offset)
        }
        guard !items.isEmpty else {
            try render(loop.emptyBody)
            return
        }
        let outerScopeStart = scopeStart
        scopeStart = bindingNames.count
        defer {
            unbindScope()
            scopeStart = outerScopeStart
        }
        var itemStart = output.count
        // Once per loop, not per item: 100,000 reservations are 100,000 separators.
        let separator = loop.separator.map { Array($0.utf8) }
        // The loop's own names open its scope and are overwritten in place for each item (in this order, so a
        // later one hides an earlier one of the same name); `loop` only when the body reads it.
        bind(loop.variable, .null)
        let loopPosition = loop.readsLoopVariable ? bindingNames.count : nil
        if loopPosition != nil { bind("loop", .null) }
        let valuePosition = loop.valueVariable == nil ? nil : bindingNames.count
        if let valueVariable = loop.valueVariable { bind(valueVariable, .null) }
        let ownBindings = bindingNames.count
        for (index, item) in items.enumerated() {
            if index > 0, let separator { writeSeparator(separator, after: itemStart, loop.separatorPlacement) }
            itemStart = output.count
            var resume = 0
            if let run = loop.bodyRun, case .object(let object) = item {
                // The whole body from the item: nothing to bind unless the object declines a member.
                resume = write(run, of: object, nodes: loop.body)
                if resume == run.end { continue }
            }
            // A fresh scope per iteration: a `set` in the body does not leak into the next item.
            if bindingNames.count > ownBindings {
                bindingNames.removeSubrange(ownBindings...)
                bindingValues.removeSubrange(ownBindings...)
            }
            bindingValues[scopeStart] = item
            if let loopPosition { bindingValues[loopPosition] = .object(LoopVariable(index0: index, length: items.count)) }
            if let valuePosition { bindingValues[valuePosition] = values[index] }
            try render(loop.body, from: resume)
        }
    }

    // MARK: - Output and escaping

    private mutating func write(_ node: Node.Output) throws(Failure) {
        let value = try evaluate(node.expression)
        switch node.mode {
        case .raw:
            output.append(contentsOf: (value.scalarText ?? JSONEncoding.compactText(of: value)).utf8)
        case .json:
            switch node.context {
            case .value: try appendJSON(value, at: node.offset)
            case .string: JSONString.appendContent(JSONEncoding.compactText(of: value), to: &output)
            case .lineComment, .blockComment:
                Escaping.appendCommentText(JSONEncoding.compactText(of: value), blockComment: node.context == .blockComment, to: &output)
            }
        case .escaped:
            switch node.context {
            case .value:
                try appendJSON(value, at: node.offset)
            case .string:
                switch value {
                case .string(let text): JSONString.appendContent(text, to: &output)
                case .list, .map:
                    throw fail("\(Filters.article(value.typeName)) cannot be written inside a JSON string; use '| join(\", \")' or '| json'", at: node.offset)
                case .null:
                    throw fail("null written inside a JSON string; use '| default(\"\")' to say what it should be", at: node.offset)
                default:
                    JSONString.appendContent(value.scalarText ?? "", to: &output)
                }
            case .lineComment, .blockComment:
                Escaping.appendCommentText(value.scalarText ?? JSONEncoding.compactText(of: value),
                                           blockComment: node.context == .blockComment, to: &output)
            }
        }
    }

    /// From `nodes[start]`, a `{{ r.mac }}` where `r` is a variable holding a host object: that output and the text
    /// and outputs of members of `r` after it (a loop body's `{ "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }} }`),
    /// written by the object straight into the output, with the binding read once (each read copies the object
    /// through its type's value witnesses). The run is flattened once per template place (`MemberRun`, by the site
    /// of its first member). Returns the position of the first node left to the general path: an output of
    /// anything else, a member the object declines to write (so errors are the general path's), a tag.
    private mutating func writeMembersDirectly(_ nodes: [Node], from start: Int, site: Int?) -> Int {
        guard let site, site < memberRuns.count else { return start }
        if memberRuns[site] == nil { memberRuns[site] = MemberRun(nodes, from: start) }
        guard let run = memberRuns[site], let binding = bindingNames.lastIndex(of: run.variableName),
              case .object(let object) = bindingValues[binding]
        else { return start }
        return write(run, of: object, nodes: nodes)
    }

    /// Writes `run` (of `nodes`) for `object`: the position after it, or that of the first member the object
    /// declines to write, where the general path takes over.
    private mutating func write(_ run: MemberRun, of object: any TemplateObject, nodes: [Node]) -> Int {
        let layout = object.memberLayout
        var tag = TagOutput(bytes: [], context: .value)
        // The buffer is lent, not copied: swapped in and back out.
        swap(&tag.bytes, &output)
        defer { swap(&tag.bytes, &output) }
        for piece in run.pieces {
            switch piece.kind {
            case .text(let range):
                sourceMap?.record(outputOffset: tag.bytes.count, source: source, sourceOffset: piece.sourceOffset, verbatim: true)
                run.text.withUnsafeBufferPointer { tag.bytes.append(contentsOf: $0[range]) }
            case .member(let site, let context):
                let index: Int
                if let cached = memberSites[site], cached.layout == layout, let cachedIndex = cached.index {
                    index = cachedIndex
                } else {
                    // This place's first item of this type: learn the member's position by its name.
                    guard case .output(let node) = nodes[piece.position], case .member(_, let name, _) = node.expression.kind,
                          let learnt = memberIndex(name, site: site, of: object)
                    else { return piece.position }
                    index = learnt
                }
                let outputOffset = tag.bytes.count
                tag.context = context
                guard object.writeMember(at: index, to: &tag) else { return piece.position }
                sourceMap?.record(outputOffset: outputOffset, source: source, sourceOffset: piece.sourceOffset, verbatim: false)
            }
        }
        return run.end
    }

    private mutating func appendJSON(_ value: Value, at offset: Int) throws(Failure) {
        do {
            try JSONEncoding.append(value, to: &output)
        } catch {
            throw fail("cannot write a non-finite number as JSON", at: offset)
        }
    }

    // MARK: - Expressions

    mutating func evaluate(_ expression: Expression) throws(Failure) -> Value {
        switch expression.kind {
        case .literal(let value):
            return value
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .name(let name):
            return try lookup(name, at: expression.offset)
        case .member(let base, let name, let site):
            // `r.ip` on a loop variable reads the binding in place: evaluating `r` would copy the value (for an
            // object, its existential box and a retain) once per member read.
            if case .name(let variable) = base.kind, let position = bindingNames.lastIndex(of: variable) {
                return try member(name, site: site, of: bindingValues[position], at: expression.offset)
            }
            return try member(name, site: site, of: try evaluate(base), at: expression.offset)
        case .index(let base, let index):
            return try subscripted(try evaluate(base), by: try evaluate(index), at: expression.offset)
        case .call(let name, let arguments):
            return try call(name, arguments, at: expression.offset)
        case .filter(let base, let name, let arguments):
            return try filter(name, base, arguments, at: expression.offset)
        case .not(let operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case .binary(let op, let left, let right):
            return try binary(op, left, right, at: expression.offset)
        }
    }

    private mutating func bind(_ name: String, _ value: Value) {
        bindingNames.append(name)
        bindingValues.append(value)
    }

    private mutating func unbindScope() {
        bindingNames.removeSubrange(scopeStart...)
        bindingValues.removeSubrange(scopeStart...)
    }

    private func binding(_ name: String) -> Value? {
        bindingNames.lastIndex(of: name).map { bindingValues[$0] }
    }

    private mutating func lookup(_ name: String, at offset: Int) throws(Failure) -> Value {
        if let value = binding(name) { return value }
        if let value = globals[name] { return value }
        if functions[name] != nil {
            throw fail("'\(name)' is a function; call it as \(name)(…)", at: offset)
        }
        var visible = Set(globals.keys)
        visible.formUnion(bindingNames)
        throw fail("undefined variable '\(name)'" + Suggestion.hint(for: name, among: visible.sorted()), at: offset)
    }

    /// Evaluates the subject of `| default`: nil where strict evaluation would fail for a missing variable,
    /// member, key or index, or for a member of null. Decided without building an error, because a template
    /// may lean on `default` for every one of 100,000 reservations.
    private mutating func probe(_ expression: Expression) throws(Failure) -> Value? {
        switch expression.kind {
        case .name(let name):
            if let value = binding(name) { return value }
            if let value = globals[name] { return value }
            return functions[name] == nil ? nil : try lookup(name, at: expression.offset)
        case .member(let base, let name, _):
            guard let value = try probe(base) else { return nil }
            switch value {
            case .map(let map): return map[name]
            case .object(let object): return object.member(name)
            case .null: return nil
            default: return try member(name, of: value, at: expression.offset)
            }
        case .index(let base, let indexExpression):
            guard let value = try probe(base) else { return nil }
            let index = try evaluate(indexExpression)
            switch (value, index) {
            case (.list(let items), .int(let position)):
                let resolved = position < 0 ? items.count + position : position
                return resolved >= 0 && resolved < items.count ? items[resolved] : nil
            case (.map(let map), .string(let key)): return map[key]
            case (.object(let object), .string(let key)): return object.member(key)
            case (.null, _): return nil
            default: return try subscripted(value, by: index, at: expression.offset)
            }
        default:
            return try evaluate(expression)
        }
    }

    /// A member read at a place in the template: by position when the object's type offers one, else by name.
    private mutating func member(_ name: String, site: Int, of value: Value, at offset: Int) throws(Failure) -> Value {
        if case .object(let object) = value, let index = memberIndex(name, site: site, of: object),
           let found = object.member(at: index) {
            return found
        }
        return try member(name, of: value, at: offset)
    }

    /// The position of the member `name` in the object's type, asked of the type once per place and type.
    private mutating func memberIndex(_ name: String, site: Int, of object: any TemplateObject) -> Int? {
        let layout = object.memberLayout
        guard site < memberSites.count else { return object.memberIndex(of: name) }
        if let cached = memberSites[site], cached.layout == layout { return cached.index }
        let index = object.memberIndex(of: name)
        memberSites[site] = MemberSite(layout: layout, index: index)
        return index
    }

    private func member(_ name: String, of value: Value, at offset: Int) throws(Failure) -> Value {
        switch value {
        case .map(let map):
            if let found = map[name] { return found }
            throw fail("no key '\(name)' in this map" + Suggestion.hint(for: name, among: map.keys), at: offset)
        case .object(let object):
            if let found = object.member(name) { return found }
            throw fail("\(Filters.article(object.typeName)) has no member '\(name)'" + Suggestion.hint(for: name, among: object.memberNames), at: offset)
        case .null:
            throw fail("cannot read '\(name)' of null", at: offset)
        default:
            throw fail("\(Filters.article(value.typeName)) has no member '\(name)'", at: offset)
        }
    }

    private func subscripted(_ value: Value, by index: Value, at offset: Int) throws(Failure) -> Value {
        switch (value, index) {
        case (.list(let items), .int(let position)):
            let resolved = position < 0 ? items.count + position : position
            guard resolved >= 0, resolved < items.count else {
                throw fail("index \(position) is out of range for a list of \(items.count) item(s)", at: offset)
            }
            return items[resolved]
        case (.map, .string(let key)), (.object, .string(let key)):
            return try member(key, of: value, at: offset)
        case (.null, _):
            throw fail("cannot index null", at: offset)
        default:
            throw fail("cannot index \(Filters.article(value.typeName)) with \(Filters.article(index.typeName))", at: offset)
        }
    }

    private mutating func evaluateArguments(_ arguments: [Argument]) throws(Failure) -> (positional: [Value], named: ValueMap) {
        var positional: [Value] = []
        var named = ValueMap()
        for argument in arguments {
            let value = try evaluate(argument.value)
            if let name = argument.name {
                guard named[name] == nil else { throw fail("argument '\(name)' given twice", at: argument.value.offset) }
                named[name] = value
            } else {
                positional.append(value)
            }
        }
        return (positional, named)
    }

    private mutating func call(_ name: String, _ arguments: [Argument], at offset: Int) throws(Failure) -> Value {
        guard let function = functions[name] else {
            throw fail(TemplateFunction.unknownMessage(name, known: functions.keys), at: offset)
        }
        let (positional, named) = try evaluateArguments(arguments)
        do {
            return try function.body(FunctionArguments(positional: positional, named: named))
        } catch let error as FunctionError {
            throw fail("\(name)(): \(error.message)", at: offset)
        } catch {
            throw fail("\(name)(): \(error)", at: offset)
        }
    }

    private mutating func filter(_ name: String, _ base: Expression, _ arguments: [Argument], at offset: Int) throws(Failure) -> Value {
        if name == "default" {
            let (positional, named) = try evaluateArguments(arguments)
            let fallback = positional.first ?? named["value"] ?? .string("")
            switch try probe(base) {
            case nil, .null?: return fallback
            case let value?: return value
            }
        }
        guard Filters.names.contains(name) else {
            var message = "unknown filter '\(name)'" + Suggestion.hint(for: name, among: Filters.names)
            if functions[name] != nil { message += "; '\(name)' is a function: call it as \(name)(…)" }
            throw fail(message, at: offset)
        }
        let value = try evaluate(base)
        let (positional, named) = try evaluateArguments(arguments)
        do {
            return try Filters.apply(name, to: value, positional: positional, named: named)
        } catch {
            throw fail(error.message, at: offset)
        }
    }

    private mutating func binary(_ op: BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression,
                        at offset: Int) throws(Failure) -> Value {
        let left = try evaluate(leftExpression)
        switch op {
        case .and: return left.isTruthy ? try evaluate(rightExpression) : left
        case .or: return left.isTruthy ? left : try evaluate(rightExpression)
        default: break
        }
        let right = try evaluate(rightExpression)
        switch op {
        case .equal: return .bool(left.isEqual(to: right))
        case .notEqual: return .bool(!left.isEqual(to: right))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let outcome = left.compare(to: right) else {
                throw fail("cannot compare \(Filters.article(left.typeName)) with \(Filters.article(right.typeName)) using '\(op.rawValue)'", at: offset)
            }
            switch op {
            case .less: return .bool(outcome == .less)
            case .lessOrEqual: return .bool(outcome != .greater)
            case .greater: return .bool(outcome == .greater)
            default: return .bool(outcome != .less)
            }
        case .contains, .notContains:
            let found: Bool
            switch (left, right) {
            case (_, .list(let items)): found = items.contains { left.isEqual(to: $0) }
            case (.string(let needle), .string(let haystack)): found = needle.isEmpty || Substring(haystack).firstScalarRange(of: needle) != nil
            case (.string(let key), .map(let map)): found = map[key] != nil
            default:
                throw fail("cannot test whether \(Filters.article(left.typeName)) is in \(Filters.article(right.typeName))", at: offset)
            }
            return .bool(op == .contains ? found : !found)
        case .and, .or: return left
        }
    }
}
