/// What a configuration reserves, keyed so that two configurations can be compared: the installer counts
/// reservations added, removed and changed, and the removal guard refuses a config that drops too many.
public struct ConfigSummary: Sendable {
    /// A reservation's identity: its subnet (by id, since Kea keys leases by id: the written one, or the number
    /// Kea 2.2 gives a subnet without one; by prefix only when the id is not an integer) and its identifier as Kea
    /// normalises it.
    public struct ReservationKey: Hashable, Sendable, CustomStringConvertible {
        /// `id 12` or `global` (`192.0.2.0/24` for a subnet whose id is not an integer).
        public let subnet: String
        /// `hw-address=02:00:00:00:00:01`.
        public let identifier: String
        public var description: String { "\(subnet) \(identifier)" }
    }

    /// Counts of a comparison between an installed and a new configuration.
    public struct Changes: Sendable, Equatable {
        public let added: Int
        public let removed: Int
        public let changed: Int
    }

    public let family: KeaFamily?
    public let subnetCount: Int
    /// A digest of each reservation's content in canonical JSON, so a changed hostname or address counts as
    /// changed; 0 for all when the summary was made without contents (see `init(_:contents:)`).
    public let reservations: [ReservationKey: UInt64]
    public let controlSocketPath: String?
    /// Each subnet's explicit Kea `id` and where it stands, by normalised prefix (`192.0.2.0/24`).
    public let subnetIDs: [String: SubnetID]

    /// A subnet's `id` in one configuration.
    public struct SubnetID: Sendable, Equatable {
        public let id: Int64
        /// `Dhcp4.subnet4[0]`.
        public let path: String
    }

    /// A subnet (same prefix) whose `id` differs between the installed and the new configuration.
    public struct SubnetIDChange: Sendable, Equatable, CustomStringConvertible {
        public let prefix: String
        public let installed: SubnetID
        public let new: SubnetID
        /// Reservations the installed configuration has in that subnet.
        public let reservations: Int

        public var description: String {
            "subnet \(prefix) (\(new.path)) changes its id from \(installed.id) to \(new.id)"
                + (reservations > 0 ? " (\(reservations) reservation\(reservations == 1 ? "" : "s"))" : "")
        }
    }

    public var reservationCount: Int { reservations.count }

    /// What "no installed file" counts as.
    static let empty = ConfigSummary(family: nil, subnetCount: 0, reservations: [:], controlSocketPath: nil, subnetIDs: [:])

    private init(family: KeaFamily?, subnetCount: Int, reservations: [ReservationKey: UInt64], controlSocketPath: String?,
                 subnetIDs: [String: SubnetID]) {
        self.family = family
        self.subnetCount = subnetCount
        self.reservations = reservations
        self.controlSocketPath = controlSocketPath
        self.subnetIDs = subnetIDs
    }

    /// `contents: false` leaves out what only `changes(to:)` between two changed configurations needs: the
    /// canonical form of every reservation (for a new file every reservation is added, for an unchanged one none
    /// changed), which is most of the summary's time and memory at a million reservations.
    public init(_ document: ConfigDocument, contents: Bool = true) {
        family = document.family
        controlSocketPath = document.controlSocketPath
        let subnets = document.subnetEntries()
        subnetCount = subnets.count
        var reservations: [ReservationKey: UInt64] = [:]
        let keys = document.family.map(HostIdentifier.keys(for:)) ?? HostIdentifier.v4Keys
        func collect(_ list: ConfigValue?, subnet: String) {
            for reservation in list?.arrayValue ?? [] {
                guard let (type, text) = keys.lazy.compactMap({ key in reservation[key]?.stringValue.map { (key, $0) } }).first
                else { continue }
                let identifier = "\(type)=\(HostIdentifier.normalise(text, type: type) ?? text)"
                reservations[ReservationKey(subnet: subnet, identifier: identifier)] = contents ? reservation.canonicalDigest : 0
            }
        }
        // Kea 2.2 numbers subnets without an id 1, 2, 3… (shared networks first, then `subnetN`) and keys their
        // leases by that number, so a subnet that gains its own number explicitly has not moved. (2.6+ require ids.)
        var subnetIDs: [String: SubnetID] = [:]
        var position: Int64 = 0
        for entry in subnets.filter({ $0.path.contains("shared-networks") }) + subnets.filter({ !$0.path.contains("shared-networks") }) {
            let text = entry.value["subnet"]?.stringValue ?? entry.path
            let prefix = InetPrefix(text).map(\.description) ?? text
            let subnet: String
            if let id = entry.value["id"]?.integerValue {
                subnet = "id \(id)"
                subnetIDs[prefix] = SubnetID(id: id, path: entry.path)
            } else if entry.value["id"] == nil {
                position += 1
                subnet = "id \(position)"
            } else {
                subnet = prefix
            }
            collect(entry.value["reservations"], subnet: subnet)
        }
        collect(document.server?["reservations"], subnet: "global")
        self.reservations = reservations
        self.subnetIDs = subnetIDs
    }

    /// Subnets that keep their prefix but get another `id`: Kea keys leases (and its statistics) by subnet id, so
    /// the clients' leases stop belonging to the subnet, and every reservation in it counts as removed and added.
    public func subnetIDChanges(to new: ConfigSummary) -> [SubnetIDChange] {
        subnetIDs.compactMap { prefix, installed -> SubnetIDChange? in
            guard let replacement = new.subnetIDs[prefix], replacement.id != installed.id else { return nil }
            let key = "id \(installed.id)"
            return SubnetIDChange(prefix: prefix, installed: installed, new: replacement,
                                  reservations: reservations.keys.reduce(0) { $0 + ($1.subnet == key ? 1 : 0) })
        }.sorted { $0.new.path < $1.new.path }
    }

    /// What changes when `self` (the installed configuration) is replaced by `new`.
    public func changes(to new: ConfigSummary) -> Changes {
        var removed = 0
        var changed = 0
        for (key, content) in reservations {
            if let replacement = new.reservations[key] {
                if replacement != content { changed += 1 }
            } else {
                removed += 1
            }
        }
        let kept = reservations.count - removed
        return Changes(added: new.reservations.count - kept, removed: removed, changed: changed)
    }
}
