// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: kea-netbox -> KeaNetbox -> {Templating, NetBox, Kea}; NetBox -> CLibPQ.
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
        .target(name: "Templating"),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "NetBox", dependencies: ["CLibPQ"]),
        .target(name: "Kea"),
        .target(name: "KeaNetbox", dependencies: ["Templating", "NetBox", "Kea"]),
        .executableTarget(
            name: "kea-netbox",
            dependencies: [
                "KeaNetbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Measures render and NetBox read speed and memory on generated data: `swift run -c release kea-netbox-bench`.
        .executableTarget(name: "kea-netbox-bench", dependencies: ["KeaNetbox", "NetBox", "Templating", "Kea"]),
        // libFuzzer targets (scripts/fuzz); built normally it replays inputs, for the regression tests.
        .executableTarget(name: "kea-netbox-fuzz", dependencies: ["KeaNetbox", "NetBox", "Templating", "Kea"]),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating"]),
        .testTarget(name: "NetBoxTests", dependencies: ["NetBox"], exclude: ["Fixtures"]),
        .testTarget(name: "KeaTests", dependencies: ["Kea"]),
        .testTarget(
            name: "KeaNetboxTests",
            dependencies: ["KeaNetbox", "Templating", "NetBox", "Kea"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
