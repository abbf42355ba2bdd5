import Foundation
import NetBox

/// A subnet (within a VRF) that a render asked `reservations()` for: the hosts a template could have put into
/// the config. A NetBox data warning about a host outside every such subnet concerns data the template never
/// uses (a router's loopback without a MAC), so the summary leaves it out.
public struct LookedUpSubnet: Hashable, Sendable {
    public let subnet: IPPrefix
    public let vrf: String?

    public init(subnet: IPPrefix, vrf: String?) {
        self.subnet = subnet
        self.vrf = vrf
    }

    public func covers(_ warning: DataWarning) -> Bool {
        guard let address = warning.address else { return false }
        return warning.vrf == vrf && subnet.contains(address)
    }
}

/// Records the `reservations()` lookups of one render. The template functions are `@Sendable` closures, so the
/// record is a locked reference owned by that one render, never shared between renders.
final class LookupLog: @unchecked Sendable {
    private let lock = NSLock()
    private var subnets: Set<LookedUpSubnet> = []

    func record(_ subnet: IPPrefix, vrf: String?) {
        lock.withLock { _ = subnets.insert(LookedUpSubnet(subnet: subnet, vrf: vrf)) }
    }

    var recorded: [LookedUpSubnet] {
        lock.withLock { Array(subnets) }
    }
}
