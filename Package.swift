// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: kea-netbox -> KeaNetbox -> {Templating, NetBox, Kea} -> Diagnostics;
// NetBox -> PostgreSQL -> CLibPQ; NetBox -> CLibCurl; Kea -> PostgreSQL.
// Templating, NetBox and Kea never import each other (DESIGN.md §1).
let package = Package(
    name: "kea-netbox",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kea-netbox", targets: ["kea-netbox"]),
        .library(name: "KeaNetbox", targets: ["KeaNetbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Diagnostics"),
        .target(name: "Templating", dependencies: ["Diagnostics"]),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "PostgreSQL", dependencies: ["CLibPQ"]),
        // The NetBox API reader's HTTP: libcurl's easy interface (trust roots per request for --ca-file, timeouts,
        // no threads of its own), already on every Debian machine that has curl; nothing to build.
        .systemLibrary(
            name: "CLibCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "NetBox", dependencies: ["Diagnostics", "PostgreSQL", "CLibCurl"]),
        .target(name: "Kea", dependencies: ["Diagnostics", "PostgreSQL"]),
        .target(name: "KeaNetbox", dependencies: ["Diagnostics", "Templating", "NetBox", "Kea"]),
        .executableTarget(
            name: "kea-netbox",
            dependencies: [
                "KeaNetbox",
                "Diagnostics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Measures render and NetBox read speed and memory on generated data: `swift run -c release kea-netbox-bench`.
        .executableTarget(name: "kea-netbox-bench", dependencies: ["KeaNetbox", "NetBox", "Templating", "Kea"]),
        // libFuzzer targets (scripts/fuzz); built normally it replays inputs, for the regression tests.
        .executableTarget(name: "kea-netbox-fuzz", dependencies: ["KeaNetbox", "NetBox", "Templating", "Kea"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating", "Diagnostics"]),
        .testTarget(name: "NetBoxTests", dependencies: ["NetBox", "PostgreSQL", "Diagnostics"], exclude: ["Fixtures"]),
        // Which Kea installations the integration tests run against (the host's, and the chroots of scripts/kea-chroots).
        .target(name: "KeaTestSupport", path: "Tests/KeaTestSupport"),
        .testTarget(name: "KeaTests", dependencies: ["Kea", "Diagnostics", "KeaTestSupport"]),
        .testTarget(
            name: "KeaNetboxTests",
            dependencies: ["KeaNetbox", "Diagnostics", "Templating", "NetBox", "Kea", "KeaTestSupport"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
