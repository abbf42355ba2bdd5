import Diagnostics

/// Bad data in NetBox that the reader worked around (DESIGN §4: reported, not fatal). The message names the NetBox
/// objects involved so an operator can find and fix them; the choice made is deterministic (lowest IP id wins), so
/// both servers of a Kea HA pair make the same one.
public struct DataWarning: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The interface holding the primary IP has no (primary) MAC address: no reservation.
        case missingMAC
        /// A MAC or address value could not be parsed: the object is skipped.
        case invalidValue
        /// The same MAC twice in one subnet (same VRF): only the lowest IP id is kept.
        case duplicateMAC
        /// The same IP address twice (same VRF): only the lowest IP id is kept.
        case duplicateIP
        /// A device without a name: a substitute is used.
        case missingName
        /// `custom_field_data` is not a JSON object: treated as empty.
        case invalidCustomFields
        /// A custom field the template names as a DUID or client-id holds something else: no such identifier.
        case invalidIdentifier

        /// The name in machine-readable output (`duplicate-mac`).
        public var ruleName: String {
            switch self {
            case .missingMAC: "missing-mac"
            case .invalidValue: "invalid-value"
            case .duplicateMAC: "duplicate-mac"
            case .duplicateIP: "duplicate-ip"
            case .missingName: "missing-name"
            case .invalidCustomFields: "invalid-custom-fields"
            case .invalidIdentifier: "invalid-identifier"
            }
        }
    }

    public let kind: Kind
    public let message: String
    /// The NetBox objects involved (`device "r1" interface "eth0" IP 192.0.2.5/24 (IP id 7)`): what a summary of
    /// many warnings of one kind lists as examples. The whole message when the warning has no such part.
    public let subject: String
    /// The reservation the warning is about (its IP and VRF), when there is one: a warning about a host that no
    /// lookup of the template could have returned is not worth the operator's attention.
    public let address: IPAddress?
    public let vrf: String?

    public init(_ kind: Kind, _ message: String, subject: String? = nil, address: IPAddress? = nil, vrf: String? = nil) {
        self.kind = kind
        self.message = message
        self.subject = subject ?? message
        self.address = address
        self.vrf = vrf
    }

    public var description: String { message }

    /// The warning as the one diagnostic type; its rule is the kind (`duplicate-mac`).
    public var diagnostic: Diagnostic {
        Diagnostic(severity: .warning, rule: kind.ruleName, message: "NetBox data: \(message)")
    }
}
