// swift-tools-version:5.3
// The key and token fuzz targets: alertd's TokenKeys module with jwt-kit, swift-crypto and
// swift-certificates underneath, all built with `-sanitize=fuzzer,address` by
// `scripts/fuzz.sh`. The 5.3 tools version keeps `main.swift` free of an entry point, so
// libFuzzer's `main` drives the binary.
import PackageDescription

let package = Package(
    name: "alertd-keys-fuzz",
    dependencies: [
        .package(name: "alertd", path: "../.."),
    ],
    targets: [
        .target(
            name: "alertd-keys-fuzz",
            dependencies: [
                .product(name: "TokenKeys", package: "alertd"),
            ]
        )
    ]
)
