/// The versions of Kea's PostgreSQL schema (`schema_version`) that `hosts sync` writes, and the differences between
/// them that matter for host rows. Read from Kea's own creation and upgrade scripts (isc-projects/kea,
/// src/share/database/scripts/pgsql): 13.0 is what Kea 2.2 creates, 18.0 Kea 2.4, 22.0 Kea 2.6, 29.0 Kea 3.0,
/// 30.0 Kea 3.1, 34.0 Kea 3.2 and 3.3. No upgrade in that range changes the `hosts` table.
struct KeaHostSchema: Sendable, Equatable {
    static let oldest = 13
    static let newest = 34

    let version: Int
    let minor: Int

    /// Upgrade 17 -> 18 turned `ipv6_reservations.address` from VARCHAR(39) into INET.
    var ipv6AddressIsInet: Bool { version >= 18 }
    /// Upgrade 24 -> 25 added `client_classes` to the option tables; 28 -> 29 made it NOT NULL, with `[  ]` (what
    /// Kea writes for no classes) for existing rows.
    var optionsHaveClientClasses: Bool { version >= 25 }

    var text: String { "\(version).\(minor)" }

    /// Nil when kea-netbox can write this schema, else why not and what to run.
    static func problem(version: Int, minor: Int) -> String? {
        if version < oldest {
            return "Kea's database schema is version \(version).\(minor), older than Kea 2.2's (\(oldest).0): upgrade it with `kea-admin db-upgrade pgsql` (with the Kea version your servers run)"
        }
        if version > newest {
            return "Kea's database schema is version \(version).\(minor), newer than the versions kea-netbox knows (\(oldest).0 of Kea 2.2 to \(newest).0 of Kea 3.2/3.3); refusing to write host rows whose layout may have changed"
        }
        return nil
    }
}
