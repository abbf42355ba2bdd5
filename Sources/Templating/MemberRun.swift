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
        var text: [UInt8] = []
        var pieces: [Piece] = []
        for (position, node) in nodes.enumerated() {
            switch node {
            case .text(let literal, let offset):
                let lower = text.count
                text.append(contentsOf: literal.utf8)
                pieces.append(Piece(kind: .text(lower..<text.count), position: position, sourceOffset: offset))
            case .output(let output):
                guard let member = output.variableMember, case .member(let base, _, _) = output.expression.kind,
                      case .name(variable) = base.kind
                else { return nil }
                pieces.append(Piece(kind: .member(site: member.site, context: output.context), position: position,
                                    sourceOffset: output.offset))
            default:
                return nil
            }
        }
        guard pieces.contains(where: { if case .member = $0.kind { true } else { false } }) else { return nil }
        variableName = variable
        self.text = text
        self.pieces = pieces
        end = nodes.count
    }

    /// The run from `nodes[start]`, nil unless that node is an escaped member of a variable.
    init?(_ nodes: [Node], from start: Int) {
        guard case .output(let first) = nodes[start], let member = first.variableMember,
              case .member(let base, _, _) = first.expression.kind, case .name(let name) = base.kind
        else { return nil }
        variableName = name
        var text: [UInt8] = []
        var pieces: [Piece] = []
        var position = start
        scan: while position < nodes.count {
            switch nodes[position] {
            case .text(let literal, let offset):
                let lower = text.count
                text.append(contentsOf: literal.utf8)
                pieces.append(Piece(kind: .text(lower..<text.count), position: position, sourceOffset: offset))
            case .output(let node):
                guard let next = node.variableMember, next.variable == member.variable else { break scan }
                pieces.append(Piece(kind: .member(site: next.site, context: node.context), position: position,
                                    sourceOffset: node.offset))
            default:
                break scan
            }
            position += 1
        }
        self.text = text
        self.pieces = pieces
        end = position
    }
}
