/// A network in CIDR form: an address whose host bits are zero, and a prefix length.
public struct IPPrefix: Hashable, Comparable, Sendable, LosslessStringConvertible {
    public let network: IPAddress
    public let length: Int

    public var family: IPFamily { network.family }

    /// Strict: `"192.0.2.0/24"`. Host bits must be zero, because `192.0.2.1/24` written where a network is expected
    /// is usually a mistake worth reporting rather than silently widening.
    public init?(_ text: String) {
        guard let (address, length) = IPPrefix.split(text) else { return nil }
        guard let prefix = IPPrefix(address: address, length: length), prefix.network == address else { return nil }
        self = prefix
    }

    /// Accepts host bits and masks them off: `"192.0.2.10/24"` -> `192.0.2.0/24`. This is the form of an interface
    /// address (PostgreSQL `inet`), where the mask tells which subnet the host is in.
    public init?(normalizing text: String) {
        guard let (address, length) = IPPrefix.split(text) else { return nil }
        self.init(address: address, length: length)
    }

    /// The network of `address` with `length` bits; host bits are cleared. Nil when the length does not fit the
    /// family (0...32 or 0...128).
    public init?(address: IPAddress, length: Int) {
        guard (0...address.family.bitWidth).contains(length) else { return nil }
        let (maskHigh, maskLow) = IPPrefix.mask(family: address.family, length: length)
        switch address.family {
        case .v4:
            network = IPAddress(v4: UInt32(truncatingIfNeeded: address.low & maskLow))
        case .v6:
            network = IPAddress(v6High: address.high & maskHigh, low: address.low & maskLow)
        }
        self.length = length
    }

    /// The last address in the network (the broadcast address for IPv4).
    public var last: IPAddress {
        let (maskHigh, maskLow) = IPPrefix.mask(family: family, length: length)
        switch family {
        case .v4:
            return IPAddress(v4: UInt32(truncatingIfNeeded: network.low | (~maskLow & 0xffff_ffff)))
        case .v6:
            return IPAddress(v6High: network.high | ~maskHigh, low: network.low | ~maskLow)
        }
    }

    /// The netmask as an address (`255.255.255.0` for /24); Kea and some option data want it spelled out.
    public var netmask: IPAddress {
        let (maskHigh, maskLow) = IPPrefix.mask(family: family, length: length)
        switch family {
        case .v4: return IPAddress(v4: UInt32(truncatingIfNeeded: maskLow))
        case .v6: return IPAddress(v6High: maskHigh, low: maskLow)
        }
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == family && network <= address && address <= last
    }

    public func contains(_ other: IPPrefix) -> Bool {
        other.family == family && other.length >= length && contains(other.network)
    }

    public var description: String { "\(network)/\(length)" }

    /// Family, then network address, then length (shorter, i.e. wider, first).
    public static func < (lhs: IPPrefix, rhs: IPPrefix) -> Bool {
        if lhs.network != rhs.network { return lhs.network < rhs.network }
        return lhs.length < rhs.length
    }

    private static func split(_ text: String) -> (IPAddress, Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let digits = parts[1]
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              !(digits.count > 1 && digits.first == "0"), let length = Int(digits) else { return nil }
        return (address, length)
    }

    /// (high, low) mask words; for IPv4 the mask sits in the low 32 bits of `low`.
    private static func mask(family: IPFamily, length: Int) -> (UInt64, UInt64) {
        switch family {
        case .v4:
            let m: UInt64 = length == 0 ? 0 : (0xffff_ffff << UInt64(32 - length)) & 0xffff_ffff
            return (0, m)
        case .v6:
            let highBits = min(length, 64)
            let lowBits = max(length - 64, 0)
            let h: UInt64 = highBits == 0 ? 0 : ~0 << UInt64(64 - highBits)
            let l: UInt64 = lowBits == 0 ? 0 : ~0 << UInt64(64 - lowBits)
            return (h, l)
        }
    }
}
