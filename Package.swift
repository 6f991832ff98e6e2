// swift-tools-version:6.3
//
// genre-lab: music genre classification on the Free Music Archive, rebuilt in Swift
// as a notebook of numbered steps over a shared core. The module map is drawn in
// README.md and in each module's own README; arrows only point down:
//
//   steps/NN-name, tools/  →  GenreKit  →  AudioIO, Spectral, TFRecord, TensorBundle, Learn, Neural, Plot  →  Seeded, C libraries

import PackageDescription

/// A system library: a folder holding a `module.modulemap` and a one-line shim header.
func systemLibrary(_ name: String, pkgConfig: String? = nil, apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt(apt)])
}

/// A command-line tool for use on its own: `tools/NAME/main.swift` built as `NAME`.
func tool(_ name: String, dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: dependencies + [.product(name: "ArgumentParser", package: "swift-argument-parser")],
        path: "tools/\(name)")
}

/// One notebook step: `steps/NN-name/main.swift` built as `stepNN-name`.
func step(_ number: String, _ name: String, dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: "step\(number)-\(name)",
        dependencies: dependencies + [.product(name: "ArgumentParser", package: "swift-argument-parser")],
        path: "steps/\(number)-\(name)")
}

let package = Package(
    name: "genre-lab",
    products: [
        .executable(name: "step00-data", targets: ["step00-data"]),
        .executable(name: "step01-metadata", targets: ["step01-metadata"]),
        .executable(name: "step02-wav", targets: ["step02-wav"]),
        .executable(name: "step03-tfrecords", targets: ["step03-tfrecords"]),
        .executable(name: "step04-splits", targets: ["step04-splits"]),
        .executable(name: "step05-classical", targets: ["step05-classical"]),
        .executable(name: "step06-raw-cnn", targets: ["step06-raw-cnn"]),
        .executable(name: "step07-transfer", targets: ["step07-transfer"]),
        .executable(name: "step08-report", targets: ["step08-report"]),
        .executable(name: "genre-features", targets: ["genre-features"]),
        .executable(name: "genre-predict", targets: ["genre-predict"]),
        .executable(name: "genre-tags", targets: ["genre-tags"]),
        .executable(name: "genre-ckpt", targets: ["genre-ckpt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: C libraries (Debian package names; `make setup` installs them)
        systemLibrary("CMPG123", pkgConfig: "libmpg123", apt: ["libmpg123-dev"]),
        systemLibrary("CSndfile", pkgConfig: "sndfile", apt: ["libsndfile1-dev"]),
        systemLibrary("CSoxr", pkgConfig: "soxr", apt: ["libsoxr-dev"]),
        systemLibrary("CFFTW", pkgConfig: "fftw3f", apt: ["libfftw3-dev"]),
        systemLibrary("CBLAS", pkgConfig: "openblas", apt: ["libopenblas-dev"]),
        systemLibrary("CCairo", pkgConfig: "cairo", apt: ["libcairo2-dev"]),
        systemLibrary("CSVM", apt: ["libsvm-dev"]),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: ["zlib1g-dev"]),
        // C targets of our own: the CPU's CRC32C instruction (SSE 4.2, ARMv8 CRC),
        // which Swift cannot reach, behind a runtime check.
        .target(name: "CCRC32C", path: "Sources/CCRC32C"),
        // And vector square roots, which Swift compiles one lane at a time.
        .target(name: "CVectorMath", path: "Sources/CVectorMath"),

        // MARK: the core, one module per concern
        // The seeded generator every module draws from; it depends on nothing.
        .target(name: "Seeded", exclude: ["README.md"]),
        .target(name: "AudioIO", dependencies: ["CMPG123", "CSndfile", "CSoxr"], exclude: ["README.md"]),
        .target(name: "TFRecord", dependencies: ["CCRC32C", "CZlib", "Seeded"], exclude: ["README.md"]),
        .target(name: "Plot", dependencies: ["CCairo"], exclude: ["README.md"]),
        .target(name: "Spectral", dependencies: ["CFFTW", "CVectorMath"], exclude: ["README.md"]),
        .target(name: "TensorBundle", dependencies: ["CCRC32C"], exclude: ["README.md"]),
        // Optimized in debug builds too: `swift test` trains real networks, and unoptimized
        // SIMD code is ~50x slower.
        .target(name: "Neural", dependencies: ["CBLAS", "TensorBundle", "Spectral", "Seeded"], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Learn", dependencies: ["CBLAS", "CSVM"], exclude: ["README.md"]),
        .target(
            name: "GenreKit",
            dependencies: [
                "AudioIO", "Spectral", "TFRecord", "Plot", "Learn", "Neural", "TensorBundle", "Seeded",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]),

        // MARK: the notebook
        step("00", "data", dependencies: ["GenreKit", "AudioIO"]),
        step("01", "metadata", dependencies: ["GenreKit"]),
        step("02", "wav", dependencies: ["GenreKit", "AudioIO"]),
        step("03", "tfrecords", dependencies: ["GenreKit", "AudioIO", "TFRecord"]),
        step("04", "splits", dependencies: ["GenreKit", "TFRecord"]),
        step("05", "classical", dependencies: ["GenreKit", "Learn", "TFRecord", "Plot", "Spectral"]),
        step("06", "raw-cnn", dependencies: ["GenreKit", "Neural", "TFRecord", "TensorBundle", "Plot"]),
        step("07", "transfer", dependencies: ["GenreKit", "Neural", "TFRecord", "TensorBundle", "Spectral", "AudioIO", "Plot"]),
        step("08", "report", dependencies: ["GenreKit", "Plot"]),

        // MARK: tools for use on their own
        tool("genre-features", dependencies: ["Spectral", "AudioIO", "GenreKit"]),
        tool("genre-predict", dependencies: ["GenreKit", "Learn", "Neural", "TensorBundle", "Spectral", "AudioIO"]),
        tool("genre-tags", dependencies: ["Neural", "TensorBundle", "AudioIO", "GenreKit"]),
        tool("genre-ckpt", dependencies: ["TensorBundle"]),

        // MARK: the benchmark behind `make bench`
        .executableTarget(
            name: "genre-bench",
            dependencies: ["GenreKit", "AudioIO", "Spectral", "Learn", "Neural", "TensorBundle", "Seeded",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "bench/genre-bench"),

        // MARK: tests
        .target(name: "_TestSupport", dependencies: ["AudioIO"], path: "Tests/_TestSupport"),
        .testTarget(name: "SeededTests", dependencies: ["Seeded"]),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "_TestSupport"]),
        .testTarget(name: "GenreKitTests", dependencies: ["GenreKit", "Neural", "Seeded", "TensorBundle", "_TestSupport"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "_TestSupport"]),
        .testTarget(name: "NeuralTests", dependencies: ["Neural", "Seeded", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LearnTests", dependencies: ["Learn", "Seeded", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TensorBundleTests", dependencies: ["TensorBundle", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SpectralTests", dependencies: ["Spectral", "CSoxr", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TFRecordTests", dependencies: ["TFRecord", "Seeded", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SystemLibraryTests",
            dependencies: ["CMPG123", "CSndfile", "CSoxr", "CFFTW", "CBLAS", "CCairo", "CSVM"]),
        // Runs the built step executables on config/ci.toml, as a user would.
        .testTarget(
            name: "StepTests",
            dependencies: [
                "GenreKit", "AudioIO", "TFRecord", "Plot", "_TestSupport",
                "step00-data", "step01-metadata", "step02-wav", "step03-tfrecords", "step04-splits",
                "step05-classical", "step06-raw-cnn", "step07-transfer", "step08-report",
                "genre-features", "genre-predict", "genre-tags", "genre-ckpt",
            ]),
    ]
)
