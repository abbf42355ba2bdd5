/// Turns the API's `custom_fields` back into the `custom_field_data` NetBox stores, which is what the database
/// reader (and so the snapshot) carries. The API decorates some types on the way out (extras/api/customfields.py):
/// an object field becomes the nested object, a multi-object field a list of them, a selection
/// `{"value", "label"}` (NetBox 4.7, #20897; the bare value before), a datetime Python's rendering of it (`Z` for UTC
/// where the stored text has `+00:00`). Which field is which comes from `/api/extras/custom-fields/`, read once per
/// run: guessing from the value's shape would corrupt a JSON field that happens to hold such an object.
struct NetBoxAPICustomFields {
    enum Kind: String {
        case object, multiobject, select, multiselect, datetime
    }

    /// Field name -> kind, only for the kinds the API changes; every other field passes through as it is.
    let kinds: [String: Kind]

    init(kinds: [String: Kind]) { self.kinds = kinds }

    /// From the objects of `/api/extras/custom-fields/?fields=name,type`.
    init(definitions: [[String: JSONValue]]) {
        var kinds: [String: Kind] = [:]
        for definition in definitions {
            if let name = definition["name"].string, let kind = definition["type"].choiceValue.flatMap(Kind.init) {
                kinds[name] = kind
            }
        }
        self.kinds = kinds
    }

    /// The stored JSON text of one object's `custom_fields`; nil when the API gave none (as SQL NULL would be).
    func storedText(_ fields: JSONValue?) -> String? {
        guard case .object(let values)? = fields else { return nil }
        var stored: [String: JSONValue] = [:]
        stored.reserveCapacity(values.count)
        for (name, value) in values {
            stored[name] = kinds[name].map { Self.stored(value, kind: $0) } ?? value
        }
        return JSONValue.object(stored).jsonText
    }

    static func stored(_ value: JSONValue, kind: Kind) -> JSONValue {
        switch (kind, value) {
        case (.object, .object(let object)):
            return object["id"] ?? value
        case (.select, .object(let object)):
            return object["value"] ?? value
        case (.multiobject, .array(let items)):
            return .array(items.map { item in
                if case .object(let object) = item { return object["id"] ?? item }
                return item
            })
        case (.multiselect, .array(let items)):
            return .array(items.map { item in
                if case .object(let object) = item { return object["value"] ?? item }
                return item
            })
        case (.datetime, .string(let text)) where text.hasSuffix("Z"):
            return .string(text.dropLast() + "+00:00")
        default:
            return value
        }
    }
}
