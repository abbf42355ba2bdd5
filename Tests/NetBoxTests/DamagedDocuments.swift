/// `bytes` cut short every `cutEvery` bytes, and with each of `replacements` put in place of the byte at every
/// `damageEvery`th position (where it differs): documents broken at every kind of place, for the decoder tests
/// that hold a shortcut to what the plain reading gives.
func damagedCopies(of bytes: [UInt8], cutEvery: Int, damageEvery: Int, with replacements: [UInt8]) -> [[UInt8]] {
    var cases: [[UInt8]] = stride(from: 0, to: bytes.count, by: cutEvery).map { Array(bytes[..<$0]) }
    for position in stride(from: 0, to: bytes.count, by: damageEvery) {
        for byte in replacements where bytes[position] != byte {
            var damaged = bytes
            damaged[position] = byte
            cases.append(damaged)
        }
    }
    return cases
}
