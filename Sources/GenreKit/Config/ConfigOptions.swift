import ArgumentParser
import Foundation

/// The options every step shares: which configuration to read and what to override.
///
///     swift run step03-tfrecords --config config/ci.toml --set tfrecords.shards=4
public struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "A TOML file with the keys to change (default: config/default.toml when present).")
    public var config: String?

    @Option(name: [.customShort("s"), .long], help: ArgumentHelp(
        "Override one key, as section.key=value (repeatable).", valueName: "key=value"))
    public var set: [String] = []

    public init() {}

    /// The default file, used when `--config` is not given and it exists.
    public static let defaultFile = "config/default.toml"

    /// Reads the configuration; errors name the key and the file.
    public func load() throws -> GenreConfig {
        let file = config ?? (FileManager.default.fileExists(atPath: Self.defaultFile) ? Self.defaultFile : nil)
        return try ConfigLoader.load(file: file, overrides: set)
    }
}
