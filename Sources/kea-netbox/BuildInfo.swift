/// The version `--version` prints, and the git commit when the binary was built by `scripts/package`.
///
/// The commit comes from a file that `scripts/package` writes for the duration of its build
/// (`BuildInfo+Commit.swift`, compiled only with `-D KEA_NETBOX_PACKAGED`), so a plain `swift build` from a
/// clean clone needs neither git nor a generated file. `scripts/package` takes the package version from this
/// binary's `--version`, so this is the one place the version is written.
enum BuildInfo {
    static let version = "0.1.0"

    static var versionLine: String {
        "\(version) (\(commit.map { "commit \($0)" } ?? "development build, commit unknown"))"
    }
}

#if !KEA_NETBOX_PACKAGED
extension BuildInfo {
    static let commit: String? = nil
}
#endif
