import NetBox

/// NetBox prefixes in address order with, for each, the nearest prefix of the same VRF that strictly contains it:
/// what `p.parents` walks, so a template can take a router or DNS server from a /16 for every /24 inside it.
/// Built once per render by one sweep over the sorted prefixes, held once and shared by every template value.
final class PrefixTree: Sendable {
    /// Sorted by family, address, length, then id.
    let items: [Prefix]
    /// The position of each item's nearest containing prefix in the same VRF.
    private let parent: [Int?]

    init(_ prefixes: [Prefix]) {
        let items = prefixes.sorted { ($0.prefix, $0.id) < ($1.prefix, $1.id) }
        var parent = [Int?](repeating: nil, count: items.count)
        // In address-then-length order a containing prefix comes before everything it contains, so per VRF a
        // stack of the prefixes still open holds exactly the chain of containers of the next one.
        var open: [String?: [Int]] = [:]
        for position in items.indices {
            let prefix = items[position]
            var stack = open[prefix.vrf, default: []]
            while let top = stack.last,
                  !(items[top].prefix.length < prefix.prefix.length && items[top].prefix.contains(prefix.prefix)) {
                stack.removeLast()
            }
            parent[position] = stack.last
            stack.append(position)
            open[prefix.vrf] = stack
        }
        self.items = items
        self.parent = parent
    }

    /// The containing prefixes of the item at `position`, nearest first.
    func parents(of position: Int) -> [Int] {
        var chain: [Int] = []
        var current = parent[position]
        while let next = current {
            chain.append(next)
            current = parent[next]
        }
        return chain
    }

    /// The item's custom fields completed from its parents: for each field the nearest value that is set (NetBox
    /// keeps a cleared field as null, a cleared text field sometimes as "").
    func inheritedCustomFields(of position: Int) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for source in [position] + parents(of: position) {
            for (name, value) in items[source].customFields where !PrefixTree.isSet(fields[name]) {
                fields[name] = value
            }
        }
        return fields
    }

    private static func isSet(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .string("")?: false
        default: true
        }
    }
}
