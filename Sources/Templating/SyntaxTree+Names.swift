/// Which variables a piece of the tree reads, decided once at parse time so the renderer can skip work for names
/// nobody reads (the `loop` object of a loop whose body never mentions it).
extension Node {
    /// Whether any of `nodes` (or a template they include) reads the variable `name`.
    static func read(_ name: String, in nodes: [Node]) -> Bool {
        nodes.contains { $0.reads(name) }
    }

    private func reads(_ name: String) -> Bool {
        switch self {
        case .text: false
        case .output(let output): output.expression.reads(name)
        case .forLoop(let loop):
            loop.sequence.reads(name) || Node.read(name, in: loop.body) || Node.read(name, in: loop.emptyBody)
        case .conditional(let conditional):
            conditional.branches.contains { $0.condition.reads(name) || Node.read(name, in: $0.body) }
                || Node.read(name, in: conditional.elseBody)
        case .set(_, let value, _): value.reads(name)
        case .include(let template, _): Node.read(name, in: template.nodes)
        case .error(let message, _), .warn(let message, _): message.reads(name)
        }
    }
}

extension Expression {
    /// Whether evaluating this can look up the variable `name`.
    func reads(_ name: String) -> Bool {
        switch kind {
        case .literal: false
        case .name(let read): read == name
        case .list(let items): items.contains { $0.reads(name) }
        case .member(let base, _, _), .not(let base): base.reads(name)
        case .index(let base, let index): base.reads(name) || index.reads(name)
        case .call(_, let arguments): arguments.contains { $0.value.reads(name) }
        case .filter(let base, _, let arguments): base.reads(name) || arguments.contains { $0.value.reads(name) }
        case .binary(_, let left, let right): left.reads(name) || right.reads(name)
        }
    }
}
