// swift-tools-version:6.2
// The baseline for Plumb's HTTP overhead: a bare loop of Foundation URLSession requests, nothing else.
import PackageDescription

let package = Package(
    name: "BareClient",
    targets: [.executableTarget(name: "BareClient")],
    swiftLanguageModes: [.v6]
)
