extension ConfigDocument {
    /// The same document seen as holding only `family`'s top-level map, so the checks written for one server's
    /// configuration also run on a hosts document that holds both `Dhcp4` and `Dhcp6`.
    func restricted(to family: KeaFamily) -> ConfigDocument? {
        guard let members = root.objectMembers,
              let member = members.first(where: { $0.key == family.topLevelKey }) else { return nil }
        return ConfigDocument(file: file, root: ConfigValue(.object([member]), offset: root.offset),
                              warnings: warnings, sources: sources)
    }
}
