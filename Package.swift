// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Plumb",
    products: [
        .library(name: "PlumbCore", targets: ["PlumbCore"]),
        .library(
            name: "Plumb",
            targets: [
                "PlumbCore", "PlumbBackends", "PlumbChecks", "PlumbRunner", "PlumbMetrics", "PlumbReports",
                "PlumbClassifiers", "PlumbCLI",
            ]
        ),
        .executable(name: "plumb", targets: ["plumb"]),
    ],
    targets: [
        .target(name: "PlumbCore"),
        .target(name: "PlumbHTTP", dependencies: ["PlumbCore"]),
        .target(name: "PlumbBackends", dependencies: ["PlumbCore", "PlumbHTTP"]),
        .target(name: "PlumbChecks", dependencies: ["PlumbCore", "PlumbClassifiers"]),
        .target(name: "PlumbRunner", dependencies: ["PlumbCore"]),
        .target(name: "PlumbMetrics", dependencies: ["PlumbCore"]),
        .target(name: "PlumbReports", dependencies: ["PlumbCore", "PlumbMetrics"]),
        .target(
            name: "PlumbClassifiers",
            dependencies: ["PlumbCore", "PlumbHTTP", "PlumbMetrics"],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "PlumbCLI",
            dependencies: [
                "PlumbCore", "PlumbBackends", "PlumbChecks", "PlumbRunner", "PlumbMetrics", "PlumbReports",
                "PlumbClassifiers",
            ]
        ),
        .executableTarget(name: "plumb", dependencies: ["PlumbCLI"]),
        // Developer tools whose defaults point into a checkout (../shared/data, Sources/): train, bench.
        .executableTarget(name: "plumb-dev", dependencies: ["PlumbCLI"]),
        .executableTarget(name: "plumb-fake-model", path: "Tests/FakeModel"),
        .target(name: "PlumbTestSupport", dependencies: ["PlumbCore"]),
        .testTarget(
            name: "PlumbCoreTests",
            dependencies: ["PlumbCore", "PlumbChecks", "PlumbMetrics", "PlumbTestSupport"]
        ),
        .testTarget(name: "PlumbHTTPTests", dependencies: ["PlumbHTTP", "PlumbTestSupport"]),
        .testTarget(name: "PlumbMetricsTests", dependencies: ["PlumbMetrics", "PlumbChecks", "PlumbTestSupport"]),
        .testTarget(
            name: "PlumbBackendsTests",
            dependencies: [
                "PlumbBackends", "PlumbHTTP", "PlumbRunner", "PlumbChecks", "PlumbTestSupport", "plumb-fake-model",
            ]
        ),
        .testTarget(name: "PlumbChecksTests", dependencies: ["PlumbChecks", "PlumbClassifiers", "PlumbTestSupport"]),
        .testTarget(
            name: "PlumbClassifiersTests",
            dependencies: ["PlumbClassifiers", "PlumbTestSupport"],
            exclude: ["Blind"]
        ),
        .testTarget(
            name: "PlumbRunnerTests",
            dependencies: ["PlumbRunner", "PlumbChecks", "PlumbMetrics", "PlumbTestSupport"]
        ),
        .testTarget(
            name: "PlumbReportsTests",
            dependencies: ["PlumbReports", "PlumbMetrics", "PlumbTestSupport"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "PlumbCLITests",
            dependencies: [
                "PlumbCLI", "PlumbCore", "PlumbMetrics", "PlumbReports", "PlumbRunner", "PlumbTestSupport", "plumb",
                "plumb-fake-model",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
