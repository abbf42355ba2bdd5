import Kea
import Templating

/// The installed Kea's version as templates see it, so one template can serve every supported Kea (DESIGN §2):
/// `kea.version` ("2.6.3"), `kea.major`, `kea.minor`, `kea.patch`, e.g.
/// `{% if kea.major >= 3 %}"control-sockets": [ … ]{% else %}"control-socket": { … }{% endif %}`.
/// `kea` is null when no Kea is installed (a CI machine): `kea.major | default(2)` then chooses.
enum KeaValues {
    /// The global's name.
    static let globalName = "kea"

    static func globals(_ version: KeaVersion?) -> [String: Value] {
        guard let version else { return [globalName: .null] }
        return [globalName: .map(ValueMap([("version", .string(version.description)), ("major", .int(version.major)),
                                      ("minor", .int(version.minor)), ("patch", .int(version.patch))]))]
    }
}
