/// DESIGN §6 step 6, shared by `install` (reservations of a config file) and `hosts sync` (hosts in Kea's host
/// database): an empty or half-empty NetBox answer must not wipe a working DHCP server, so a change that removes
/// everything, or more than a fraction of what is there, is refused unless forced.
public struct RemovalGuard: Sendable {
    /// How the two sides are named in the refusal, e.g. "the new configuration" / "the installed one" /
    /// "reservations".
    public struct Wording: Sendable {
        public let new: String
        public let installed: String
        public let items: String

        public init(new: String, installed: String, items: String) {
            self.new = new
            self.installed = installed
            self.items = items
        }

        static let configFile = Wording(new: "the new configuration", installed: "the installed one", items: "reservations")
    }

    public var maxRemovedFraction: Double
    public var force: Bool

    public init(maxRemovedFraction: Double, force: Bool) {
        self.maxRemovedFraction = maxRemovedFraction
        self.force = force
    }

    /// `installed` items are there now; `removed` of them would go and `remaining` items would be there after.
    public func check(installed: Int, removed: Int, remaining: Int, wording: Wording) throws(InstallError) {
        guard installed > 0, !force else { return }
        if remaining == 0 {
            throw .rejected("\(wording.new) has no \(wording.items) but \(wording.installed) has \(installed); refusing to wipe them (an empty NetBox answer?). Use --force if this is intended")
        }
        let fraction = Double(removed) / Double(installed)
        if fraction > maxRemovedFraction {
            throw .rejected("\(wording.new) removes \(removed) of the \(installed) installed \(wording.items) (\(Int((fraction * 100).rounded()))%, more than --max-removed-fraction \(maxRemovedFraction)); use --force if this is intended")
        }
    }
}
