/// Where subnets live: `DhcpN.subnetN[]` and `DhcpN.shared-networks[].subnetN[]`. Both the semantic checks
/// and the summary walk them the same way.
public struct SubnetEntry: Sendable {
    public let value: ConfigValue
    /// `Dhcp4.subnet4[2]` or `Dhcp4.shared-networks[0].subnet4[1]`.
    public let path: String
}

extension ConfigDocument {
    public func subnetEntries() -> [SubnetEntry] {
        guard let family, let server else { return [] }
        let top = family.topLevelKey
        let key = family.subnetKey
        var entries: [SubnetEntry] = []
        if let subnets = server[key]?.arrayValue {
            for (index, subnet) in subnets.enumerated() {
                entries.append(SubnetEntry(value: subnet, path: "\(top).\(key)[\(index)]"))
            }
        }
        if let networks = server["shared-networks"]?.arrayValue {
            for (networkIndex, network) in networks.enumerated() {
                guard let subnets = network[key]?.arrayValue else { continue }
                for (index, subnet) in subnets.enumerated() {
                    entries.append(SubnetEntry(value: subnet, path: "\(top).shared-networks[\(networkIndex)].\(key)[\(index)]"))
                }
            }
        }
        return entries
    }
}
