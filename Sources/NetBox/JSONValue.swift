/// A JSON value as NetBox stores it in `custom_field_data` (jsonb).
///
/// Integers have their own case so that a custom field holding `42` renders as `42` in a Kea config, never `42.0`,
/// and survives a snapshot round trip exactly. `.number` holds only numbers written with a fraction or exponent
/// (or too large for `Int`).
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// What the value is, for error messages ("expected a string, found an integer").
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Parses JSON text (RFC 8259) into a value. Duplicate object keys are an error: which one would win is
    /// implementation-defined elsewhere, so we refuse to guess.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var text = text
        let parsed = text.withUTF8 { bytes in
            Result { () throws(JSONSyntaxError) in try JSONTextParser.parse(utf8: bytes) }
        }
        return try parsed.get()
    }

    /// Compact JSON text with keys sorted, so equal values always give equal text.
    public var jsonText: String {
        var writer = JSONTextWriter(indent: nil)
        writer.write(self)
        return writer.output
    }
}
