/// FNV-1a, 64 bits: tells contents apart (a file the last install wrote, a reservation in two configurations)
/// without keeping them. Not a security check: whoever could forge a collision could write the files anyway.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Continues the hash over `bytes`, so that a file can be hashed a piece at a time.
    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = FNV1a()
        hash.add(bytes)
        return hash.value
    }
}
