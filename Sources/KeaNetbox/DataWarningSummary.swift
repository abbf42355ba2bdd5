import Diagnostics
import NetBox

/// NetBox data warnings as an operator wants them from a timer job: one line per kind with a count and the first
/// few objects, and only about hosts the template's `reservations()` lookups could have returned. A NetBox with
/// 20 MAC-less routers gives one line every five minutes, not 20; `-v` lists every warning, `-q` none.
public struct DataWarningSummary: Sendable {
    public struct Group: Sendable {
        public let kind: DataWarning.Kind
        public let warnings: [DataWarning]
    }

    /// The warnings worth showing, grouped by kind in the order the kinds first appear.
    public let groups: [Group]
    /// Warnings about hosts outside every subnet the template looked up.
    public let unused: [DataWarning]

    /// `lookedUp` nil: no render happened (or it failed), so every warning counts.
    public init(_ warnings: [DataWarning], lookedUp: [LookedUpSubnet]?) {
        var relevant: [DataWarning] = []
        var unused: [DataWarning] = []
        for warning in warnings {
            if let lookedUp, warning.address != nil, !lookedUp.contains(where: { $0.covers(warning) }) {
                unused.append(warning)
            } else {
                relevant.append(warning)
            }
        }
        var order: [DataWarning.Kind] = []
        var byKind: [DataWarning.Kind: [DataWarning]] = [:]
        for warning in relevant {
            if byKind[warning.kind] == nil { order.append(warning.kind) }
            byKind[warning.kind, default: []].append(warning)
        }
        groups = order.map { Group(kind: $0, warnings: byKind[$0] ?? []) }
        self.unused = unused
    }

    /// How many warnings are worth showing (the count in `--summary json` and the metrics file).
    public var count: Int { groups.reduce(0) { $0 + $1.warnings.count } }

    public var isEmpty: Bool { groups.isEmpty && unused.isEmpty }

    /// The default output: a group of one is its whole message; a larger group is one line with the count and
    /// the first `examples` objects.
    public func summaryDiagnostics(examples: Int = 3) -> [Diagnostic] {
        groups.map { group in
            guard group.warnings.count > 1 else { return group.warnings[0].diagnostic }
            let shown = group.warnings.prefix(examples).map(\.subject).joined(separator: "; ")
            let more = group.warnings.count - min(examples, group.warnings.count)
            return Diagnostic(severity: .warning, rule: group.kind.ruleName,
                              message: "NetBox data: \(group.warnings.count) × \(group.kind.summaryText): \(shown)"
                                  + (more > 0 ? "; and \(more) more (-v lists every one)" : ""))
        }
    }

    /// `-v`: every warning, those about hosts no lookup returned included, marked as such.
    public var allDiagnostics: [Diagnostic] {
        groups.flatMap { $0.warnings.map(\.diagnostic) }
            + unused.map { warning in
                Diagnostic(severity: .warning, rule: warning.kind.ruleName,
                           message: "NetBox data: \(warning.message) (outside every subnet the template looked up)")
            }
    }
}

extension DataWarning.Kind {
    /// What one summary line says about a whole group of this kind.
    var summaryText: String {
        switch self {
        case .missingMAC: "primary or out-of-band IP on an interface without a (primary) MAC address, no reservation"
        case .invalidValue: "value not understood (address, MAC, prefix or range), skipped"
        case .duplicateMAC: "MAC address twice in one subnet, primary address (else lowest IP id) kept"
        case .duplicateIP: "IP address assigned twice, lowest IP id kept"
        case .missingName: "device or VM without a name, substitute used"
        case .invalidCustomFields: "custom_field_data not a JSON object, ignored"
        case .invalidIdentifier: "DUID or client-id custom field not understood, MAC used"
        }
    }
}
