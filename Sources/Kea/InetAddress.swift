#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The small IP address type the semantic checks need. Kea must not import NetBox, and Kea itself reads
/// addresses with `inet_pton`, so this does too: what it accepts is what Kea accepts.
struct InetAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    let family: KeaFamily
    /// v6: the 128 bits as two halves; v4: the 32 bits in the low half.
    let high: UInt64
    let low: UInt64

    init(family: KeaFamily, high: UInt64, low: UInt64) {
        self.family = family
        self.high = high
        self.low = low
    }

    init?(_ text: String) {
        if text.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: &address) { Array($0) }
            var high: UInt64 = 0
            var low: UInt64 = 0
            for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
            self.init(family: .v6, high: high, low: low)
        } else {
            var address = in_addr()
            guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
            self.init(family: .v4, high: 0, low: UInt64(UInt32(bigEndian: address.s_addr)))
        }
    }

    var bitCount: Int { family == .v4 ? 32 : 128 }

    static func < (lhs: InetAddress, rhs: InetAddress) -> Bool {
        (lhs.family.rawValue, lhs.high, lhs.low) < (rhs.family.rawValue, rhs.high, rhs.low)
    }

    /// The address with all bits after the first `length` cleared.
    func masked(to length: Int) -> InetAddress {
        if family == .v4 {
            let mask: UInt64 = length <= 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - min(length, 32))) & 0xFFFF_FFFF
            return InetAddress(family: .v4, high: 0, low: low & mask)
        }
        let highMask: UInt64 = length <= 0 ? 0 : (length >= 64 ? .max : .max << UInt64(64 - length))
        let lowMask: UInt64 = length <= 64 ? 0 : (length >= 128 ? .max : .max << UInt64(128 - length))
        return InetAddress(family: .v6, high: high & highMask, low: low & lowMask)
    }

    var description: String {
        if family == .v4 {
            let value = UInt32(truncatingIfNeeded: low)
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { raw in
            for index in 0..<8 { raw[index] = UInt8(truncatingIfNeeded: high >> UInt64(56 - index * 8)) }
            for index in 0..<8 { raw[8 + index] = UInt8(truncatingIfNeeded: low >> UInt64(56 - index * 8)) }
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address with a prefix length, as in a subnet's `"subnet"` or a CIDR pool.
struct InetPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits cleared).
    let network: InetAddress
    let length: Int
    /// True when the text had host bits set (`192.0.2.5/24`).
    let hadHostBits: Bool

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = InetAddress(String(parts[0])),
              let length = Int(parts[1]), parts[1].allSatisfy(\.isASCII), length >= 0, length <= address.bitCount
        else { return nil }
        self.network = address.masked(to: length)
        self.length = length
        self.hadHostBits = network != address
    }

    var family: KeaFamily { network.family }

    func contains(_ address: InetAddress) -> Bool {
        address.family == family && address.masked(to: length) == network
    }

    /// The last address of the prefix.
    var last: InetAddress {
        if family == .v4 {
            let hostMask: UInt64 = length >= 32 ? 0 : (UInt64(1) << UInt64(32 - length)) - 1
            return InetAddress(family: .v4, high: 0, low: network.low | hostMask)
        }
        let highHost: UInt64 = length >= 64 ? 0 : (length == 0 ? .max : (UInt64(1) << UInt64(64 - length)) - 1)
        let lowHost: UInt64 = length >= 128 ? 0 : (length <= 64 ? .max : (UInt64(1) << UInt64(128 - length)) - 1)
        return InetAddress(family: .v6, high: network.high | highHost, low: network.low | lowHost)
    }

    var description: String { "\(network)/\(length)" }
}
