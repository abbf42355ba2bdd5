import Diagnostics
import NetBox

/// The `duid=` and `client_id=` arguments of `reservations()`: the names of the custom fields holding a DHCPv6
/// DUID or a DHCPv4 client-id. NetBox has no field for either, so operators add one, usually on the interface (the
/// identifier belongs to the NIC's DHCP client), sometimes on the IP address; the interface's wins when both are
/// set. A value that is not such an identifier is a warning naming the object, and the member stays null, so the
/// template falls back to the MAC.
struct ReservationIdentifiers {
    let duidField: String?
    let clientIDField: String?
    let warnings: LookupWarnings

    init(_ arguments: LookupArguments, warnings: LookupWarnings) throws {
        duidField = try arguments.optionalString("duid")
        clientIDField = try arguments.optionalString("client_id")
        self.warnings = warnings
    }

    func value(table: ReservationTable, position: Int) -> ReservationValue {
        var value = ReservationValue(table: table, position: position)
        guard duidField != nil || clientIDField != nil else { return value }
        value.identifiers = ReservationValue.Identifiers(
            duid: duidField.flatMap { identifier($0, .duid, of: table.items[position]) },
            clientID: clientIDField.flatMap { identifier($0, .clientID, of: table.items[position]) })
        return value
    }

    private func identifier(_ field: String, _ kind: ClientIdentifier.Kind, of reservation: Reservation)
        -> ClientIdentifier?
    {
        let candidates: [(place: String, value: JSONValue?)] = [
            ("interface", reservation.interfaceDetails.customFields[field]), ("IP address", reservation.customFields[field]),
        ]
        guard let (place, value) = candidates.first(where: { ReservationIdentifiers.isSet($0.value) }),
              let value else { return nil }
        if case .string(let text) = value, let identifier = ClientIdentifier(text, kind: kind) { return identifier }
        let shown = value.jsonText
        let expected = kind == .duid
            ? "a DUID (hex bytes such as 00:03:00:01:02:00:00:00:00:01, 3 to 130 of them)"
            : "a client-id (hex bytes such as 01:02:00:00:00:00:01, 2 to 255 of them)"
        warnings.add(DataWarning(.invalidIdentifier, """
            \(reservation.netboxObjects): custom field \(JSONString.quoted(field)) of the \(place) is \(shown), not \
            \(expected); no \(kind.rawValue) for this reservation
            """, subject: reservation.netboxObjects, address: reservation.ip, vrf: reservation.vrf))
        return nil
    }

    /// NetBox keeps a cleared custom field as null (or "" for text).
    private static func isSet(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .string("")?: false
        default: true
        }
    }
}
