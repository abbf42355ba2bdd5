import Foundation
@testable import Kea
import NetBox

/// What the cron scripts `init` replaces did, written independently of `init` as a tree operation: every subnet
/// (`subnetN[]` and `shared-networks[].subnetN[]`) gets NetBox's active reservations in its prefix (global table,
/// sorted by address) after its own, and an `id` when it has none (NetBox's prefix id, else Kea 2.2's number for it
/// by position; or always that number). Everything else stays as it was.
struct OldMerge {
    enum IDs { case position, netBox }

    let snapshot: Snapshot
    let ids: IDs

    func merged(_ document: ConfigDocument) -> ConfigValue {
        guard let family = document.family, let server = document.server, let members = server.objectMembers else {
            return document.root
        }
        var position: Int64 = 0
        func subnets(_ list: ConfigValue) -> ConfigValue {
            ConfigValue(.array((list.arrayValue ?? []).map { subnet in
                var id: Int64?
                if subnet["id"] == nil {
                    position += 1
                    id = position
                }
                return merge(subnet, family: family, positionID: id)
            }), offset: 0)
        }
        // Kea 2.2 numbers shared-network subnets first.
        var replaced: [String: ConfigValue] = [:]
        if let networks = server["shared-networks"]?.arrayValue {
            replaced["shared-networks"] = ConfigValue(.array(networks.map { network in
                ConfigValue(.object((network.objectMembers ?? []).map { member in
                    member.key == family.subnetKey ? ConfigMember(key: member.key, keyOffset: 0, value: subnets(member.value)) : member
                }), offset: 0)
            }), offset: 0)
        }
        if let list = server[family.subnetKey] { replaced[family.subnetKey] = subnets(list) }
        let newServer = ConfigValue(.object(members.map { member in
            replaced[member.key].map { ConfigMember(key: member.key, keyOffset: 0, value: $0) } ?? member
        }), offset: 0)
        return ConfigValue(.object([ConfigMember(key: family.topLevelKey, keyOffset: 0, value: newServer)]), offset: 0)
    }

    private func merge(_ subnet: ConfigValue, family: KeaFamily, positionID: Int64?) -> ConfigValue {
        guard var members = subnet.objectMembers, let text = subnet["subnet"]?.stringValue,
              let prefix = IPPrefix(normalizing: text) else { return subnet }
        if let positionID {
            let netBoxID = snapshot.prefixes.filter { $0.prefix == prefix && $0.vrf == nil }.map(\.id).min()
            let id = ids == .netBox ? netBoxID.map(Int64.init) ?? positionID : positionID
            members.append(ConfigMember(key: "id", keyOffset: 0, value: ConfigValue(.integer(id), offset: 0)))
        }
        let hosts = snapshot.reservations
            .filter { $0.vrf == nil && $0.status == "active" && $0.family.rawValue == family.rawValue && prefix.contains($0.ip) }
            .sorted { ($0.ip, $0.ipID) < ($1.ip, $1.ipID) }
            .map { host -> ConfigValue in
                let address = family == .v4
                    ? ConfigMember(key: "ip-address", keyOffset: 0, value: string(host.ip.description))
                    : ConfigMember(key: "ip-addresses", keyOffset: 0, value: ConfigValue(.array([string(host.ip.description)]), offset: 0))
                return ConfigValue(.object([
                    ConfigMember(key: "hw-address", keyOffset: 0, value: string(host.mac.description)), address,
                    ConfigMember(key: "hostname", keyOffset: 0, value: string(host.hostname)),
                ]), offset: 0)
            }
        let own = subnet["reservations"]?.arrayValue ?? []
        members.removeAll { $0.key == "reservations" }
        members.append(ConfigMember(key: "reservations", keyOffset: 0, value: ConfigValue(.array(own + hosts), offset: 0)))
        return ConfigValue(.object(members), offset: 0)
    }

    private func string(_ text: String) -> ConfigValue { ConfigValue(.string(text), offset: 0) }
}
