/// A run of a template's nodes that `Renderer.writeMembersDirectly` writes per loop item: from a `{{ r.mac }}`
/// (an escaped member of a variable), the text and the escaped members of that same variable after it, as in a
/// loop body's `{ "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }} }`. Made once per template place from the
/// syntax tree, in values that copy for nothing: walking the nodes themselves copied each node's payload out of
/// the tree (a retain and a release of its expression) for every item, 16% of a render's instructions at
/// 100,000 reservations (issue 11).
struct MemberRun: Sendable {
    struct Piece: Sendable {
        enum Kind: Sendable {
            /// Text: these bytes of `text`.
            case text(Range<Int>)
            /// The member at this template place (`Node.VariableMember.site`), written in this context.
            case member(site: Int, context: OutputContext)
        }

        let kind: Kind
        /// The node's position in its list of nodes: where the general path takes over when the object does not
        /// write a member itself.
        let position: Int
        /// Where the node is in the template, for the source map.
        let sourceOffset: Int
    }

    /// The variable whose members the run writes.
    let variableName: String
    /// The bytes of every text piece, one after the other.
    let text: [UInt8]
    let pieces: [Piece]
    /// The position after the run's last node.
    let end: Int

    /// A loop body that is one run: nothing but text and escaped members of the loop's variable `variable`
    /// (`{ "hw-address": {{ r.mac }}, "ip-address": {{ r.ip }} }` and its line), with at least one member. The
    /// renderer then writes each item from the item itself, without binding it or walking the body.
    init?(wholeBody nodes: [Node], variable: String) {
        self.init(nodes, from: 0, variable: variable)
        guard end == nodes.count, pieces.contains(where: { if case .member = $0.kind { true } else { false } })
        else { return nil }
    }

    /// The run from `nodes[start]`, nil unless that node is an escaped member of a variable.
    init?(_ nodes: [Node], from start: Int) {
        guard let name = MemberRun.variable(of: nodes[start]) else { return nil }
        self.init(nodes, from: start, variable: name)
    }

    /// The text and the escaped members of `variable` from `nodes[start]` up to the first other node.
    private init(_ nodes: [Node], from start: Int, variable: String) {
        var text: [UInt8] = []
        var pieces: [Piece] = []
        var position = start
        scan: while position < nodes.count {
            switch nodes[position] {
            case .text(let literal, let offset):
                let lower = text.count
                text.append(contentsOf: literal.utf8)
                pieces.append(Piece(kind: .text(lower..<text.count), position: position, sourceOffset: offset))
            case .output(let node) where MemberRun.variable(of: nodes[position]) == variable:
                guard let member = node.variableMember else { break scan }
                pieces.append(Piece(kind: .member(site: member.site, context: node.context), position: position,
                                    sourceOffset: node.offset))
            default:
                break scan
            }
            position += 1
        }
        variableName = variable
        self.text = text
        self.pieces = pieces
        end = position
    }

    /// The variable `a` of an escaped member output `{{ a.b }}`; nil for any other node.
    private static func variable(of node: Node) -> String? {
        guard case .output(let output) = node, output.variableMember != nil,
              case .member(let base, _, _) = output.expression.kind, case .name(let name) = base.kind
        else { return nil }
        return name
    }
}
