// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "relief-kiosk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kiosk", targets: ["kiosk"]),
    ],
    // PostgreSQL (several machines, one practice) is left out of the default build: postgres-nio
    // and SwiftNIO make a first build several minutes longer (README, "Several machines").
    // Turn it on with KIOSK_POSTGRES=1 ./kiosk, or swift build --traits PostgreSQL.
    traits: [
        .trait(name: "PostgreSQL", description: "The kiosk and the desk on a PostgreSQL database (postgres-nio)."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // GNU readline, wrapped for Swift (see Sources/CReadline/shim.h).
        .systemLibrary(
            name: "CReadline", path: "Sources/CReadline",
            pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),
        // libqrencode, for the take-home QR code (see Sources/CQRencode/shim.h).
        .systemLibrary(
            name: "CQRencode", path: "Sources/CQRencode",
            pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // The domain: pure Swift, no I/O, no clock. Depends on nothing of ours.
        .target(name: "KioskCore"),
        // Content/*.yaml -> core models, with file:line checks.
        .target(name: "KioskContent", dependencies: [
            "KioskCore", .product(name: "Yams", package: "Yams"),
        ]),
        // Persistence behind the core's KioskStore protocol (SQLite through GRDB).
        .target(name: "KioskStore", dependencies: [
            "KioskCore", .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's C API, for stepping the export's statement and reading columns by index.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // The same store protocols on PostgreSQL (postgres-nio), built only with the trait
        // PostgreSQL; without it this module is empty. Reuses KioskStore's errors, PIN hashing
        // and its reading of an event's SQLite file (kiosk import).
        .target(name: "KioskPostgres", dependencies: [
            "KioskCore", "KioskStore",
            .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
            .product(name: "Logging", package: "swift-log", condition: .when(traits: ["PostgreSQL"])),
        ]),
        // Reading lines (readline or plain) and rendering text, QR codes included.
        .target(name: "KioskTerminal", dependencies: ["KioskCore", "CReadline", "CQRencode"]),
        // The command line's shared options, and `kiosk run`'s fast reading of its own, where
        // tests can reach them (nothing may depend on the executable).
        .target(name: "KioskCommandLine", dependencies: [
            "KioskCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "kiosk", dependencies: [
            "KioskCore", "KioskContent", "KioskStore", "KioskTerminal", "KioskPostgres", "KioskCommandLine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Measurements (README: Benchmarks); not part of the kiosk.
        .executableTarget(name: "kiosk-bench", dependencies: [
            "KioskCore", "KioskContent", "KioskStore", "KioskPostgres", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // What the test targets share: the session fixture, the scripted line reader, the pty
        // driver and the database helpers. Only test targets depend on it.
        .target(name: "KioskTestSupport", dependencies: ["KioskCore", "KioskStore", "KioskTerminal"],
                path: "Tests/KioskTestSupport"),
        .testTarget(name: "KioskCoreTests", dependencies: ["KioskCore", "KioskTestSupport"]),
        .testTarget(name: "KioskTerminalTests", dependencies: ["KioskTerminal", "KioskCore", "KioskStore", "KioskTestSupport"]),
        .testTarget(name: "KioskContentTests", dependencies: ["KioskContent", "KioskCore", "KioskTestSupport"]),
        .testTarget(name: "KioskCommandLineTests", dependencies: [
            "KioskCommandLine", "KioskTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "KioskStoreTests", dependencies: ["KioskStore", "KioskCore", "KioskTestSupport"]),
        .testTarget(name: "KioskSafetyTests", dependencies: [
            "KioskCore", "KioskContent", "KioskTestSupport", .product(name: "Yams", package: "Yams"),
        ], resources: [.copy("personas.yaml"), .copy("corpus.yaml")]),
        .testTarget(name: "KioskEndToEndTests", dependencies: [
            "KioskCore", "KioskContent", "KioskStore", "KioskPostgres", "KioskTerminal", "KioskTestSupport",
            .product(name: "Yams", package: "Yams"),
        ]),
        // One suite of store tests run against SQLite and (with the trait and a server) PostgreSQL.
        .testTarget(name: "KioskConformanceTests", dependencies: ["KioskCore", "KioskStore", "KioskPostgres", "KioskTestSupport"]),
    ]
)
