import Diagnostics
/// Compact JSON for value positions and `| json`.
enum JSONEncoding {
    enum Failure: Error {
        case notFinite(Double)
    }

    static func append(_ value: Value, to output: inout [UInt8]) throws(Failure) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): appendDecimal(number, to: &output)
        case .double(let number):
            guard number.isFinite else { throw .notFinite(number) }
            output.append(contentsOf: Value.format(number).utf8)
        case .string(let text): JSONString.append(text, to: &output)
        case .object(let object): JSONString.append(object.text, to: &output)
        case .list(let items):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                try append(item, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .map(let map):
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, item) in map {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSONString.append(key, to: &output)
                output.append(UInt8(ascii: ":"))
                try append(item, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Digits written straight into the output: ids and lengths are written once per item of a long loop, and a
    /// `String` per number would be made only to be copied.
    static func appendDecimal(_ number: Int, to output: inout [UInt8]) {
        guard number != 0 else {
            output.append(UInt8(ascii: "0"))
            return
        }
        if number < 0 { output.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int.min has one too.
        var rest = number.magnitude
        // 24 bytes hold the 20 digits of the largest magnitude.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            while rest > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// JSON text of a value; non-finite numbers (which JSON cannot hold) come out as null.
    static func compactText(of value: Value) -> String {
        var bytes: [UInt8] = []
        do {
            try append(value, to: &bytes)
        } catch {
            return "null"
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
