import Foundation
import TOMLKit

/// Builds a `GenreConfig` from the built-in defaults, a TOML file, and `key=value` overrides,
/// in that order, checking every key and type against the defaults.
///
/// A key that the defaults do not have is an error naming the key and where it came from, so
/// that a typo (`shard = 8` for `shards`) never passes silently. An integer is accepted where
/// a float is expected; nothing else is converted.
public enum ConfigLoader {
    /// - Parameters:
    ///   - file: a TOML file with any subset of the keys, or nil for the defaults alone.
    ///   - overrides: `section.key=value` strings, applied last (`tfrecords.shards=8`).
    public static func load(file: String?, overrides: [String] = []) throws -> GenreConfig {
        let defaults = try TOMLTable(GenreConfig.article)
        var settings = Settings(defaults: defaults)
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigError.unreadable(file: file, reason: (error as NSError).localizedDescription)
            }
            let table: TOMLTable
            do {
                table = try TOMLTable(string: text)
            } catch let error as TOMLParseError {
                throw ConfigError.syntax(file: file, line: error.source.begin.line,
                                         column: error.source.begin.column, message: error.description)
            }
            try settings.apply(table, prefix: "", source: file)
        }
        for override in overrides {
            try settings.apply(override: override)
        }
        let config = try TOMLDecoder().decode(GenreConfig.self, from: settings.table())
        try validate(config, origins: settings.origins)
        return config
    }

    /// Checks what types alone cannot: ranges and names.
    static func validate(_ config: GenreConfig, origins: [String: String]) throws {
        func require(_ condition: Bool, _ key: String, _ reason: String) throws {
            if !condition {
                throw ConfigError.invalidValue(key: key, source: origins[key] ?? "the defaults", reason: reason)
            }
        }
        try require(["small", "medium", "large"].contains(config.data.subset), "data.subset",
                    "'\(config.data.subset)' is not an FMA subset (small, medium or large)")
        try require(config.data.demoClipsPerGenre >= 1, "data.demo_clips_per_genre", "must be at least 1")
        try require(config.data.demoClipSeconds >= 1, "data.demo_clip_seconds", "must be at least 1 s")
        try require((8000...192_000).contains(config.audio.sampleRate), "audio.sample_rate",
                    "\(config.audio.sampleRate) Hz is outside 8000...192000")
        try require(config.audio.minSeconds >= 0, "audio.min_seconds", "must not be negative")
        try require(config.tfrecords.shards >= 1, "tfrecords.shards", "must be at least 1")
        try require(config.tfrecords.windowSize >= 1, "tfrecords.window_size", "must be at least 1")
        let sizes = [("image_height", config.tfrecords.imageHeight), ("image_width", config.tfrecords.imageWidth),
                     ("image_channels", config.tfrecords.imageChannels), ("image_samples", config.tfrecords.imageSamples)]
        for (key, value) in sizes {
            try require(value >= 1, "tfrecords.\(key)", "must be at least 1")
        }
        try require(config.tfrecords.fullImageSeconds > 0, "tfrecords.full_image_seconds", "must be positive")
        try require(["shards", "fma"].contains(config.splits.strategy), "splits.strategy",
                    "'\(config.splits.strategy)' is neither 'shards' (the article's) nor 'fma' (FMA's official split)")
        try require((0..<1).contains(config.splits.testFraction), "splits.test_fraction", "must be in [0, 1)")
        try require((0..<1).contains(config.splits.validationFraction), "splits.validation_fraction",
                    "must be in [0, 1)")
        try require(config.training.batchSize >= 1, "training.batch_size", "must be at least 1")
        try require(["fma", "corrected"].contains(config.features.variant), "features.variant",
                    "'\(config.features.variant)' is neither 'fma' (librosa 0.5 as FMA ran it) nor 'corrected'")
        try require(["ours", "fma-csv"].contains(config.classical.source), "classical.source",
                    "'\(config.classical.source)' is neither 'ours' (step 03's features) nor 'fma-csv'")
        try require(config.classical.bootstrapSamples >= 1, "classical.bootstrap_samples", "must be at least 1")
        try require(config.cnn.epochs >= 1, "cnn.epochs", "must be at least 1")
        try require(config.cnn.learningRate > 0, "cnn.learning_rate", "must be positive")
        try require(config.cnn.patience >= 0, "cnn.patience", "must not be negative")
        let bases = config.transfer.bases.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try require(bases.allSatisfy { ["musicnn", "mobilenet_v2"].contains($0) }, "transfer.bases",
                    "'\(config.transfer.bases)' names a base network other than musicnn and mobilenet_v2")
        try require(config.transfer.epochs >= 1, "transfer.epochs", "must be at least 1")
        try require(config.transfer.patience >= 0, "transfer.patience", "must not be negative")
        try require(config.transfer.hiddenUnits >= 1, "transfer.hidden_units", "must be at least 1")
        try require((0..<1).contains(config.transfer.dropout), "transfer.dropout", "must be in [0, 1)")
    }
}

/// The flat view of a configuration: dotted keys (`tfrecords.shards`) to values, with the
/// defaults' keys and types as the schema.
private struct Settings {
    private var values: [String: Scalar] = [:]
    private var types: [String: TOMLType] = [:]
    private(set) var origins: [String: String] = [:]
    /// Section names in the defaults' order, and each section's keys.
    private var sections: [(name: String, keys: [String])] = []

    init(defaults: TOMLTable) {
        for section in defaults.keys {
            guard let table = defaults[section]?.table else { continue }
            sections.append((section, table.keys))
            for key in table.keys {
                let value = table[key]!
                values["\(section).\(key)"] = Scalar(value)
                types["\(section).\(key)"] = value.type
            }
        }
    }

    /// Merges a parsed TOML table, checking each key against the schema.
    mutating func apply(_ table: TOMLTable, prefix: String, source: String) throws {
        for key in table.keys {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            let value = table[key]!
            if prefix.isEmpty {
                guard sections.contains(where: { $0.name == key }) else {
                    throw ConfigError.unknownKey(key: path, source: source, known: sections.map(\.name))
                }
                guard let inner = value.table else {
                    throw ConfigError.wrongType(key: path, source: source, expected: "a table ([\(key)])",
                                                found: describe(value.type))
                }
                try apply(inner, prefix: key, source: source)
            } else {
                try set(path, to: value, source: source)
            }
        }
    }

    /// Applies one `section.key=value` override. The value is read as TOML when it parses as
    /// the expected type, and as a bare string otherwise (`data.subset=medium`).
    mutating func apply(override: String) throws {
        guard let equals = override.firstIndex(of: "=") else { throw ConfigError.malformedOverride(override) }
        let key = override[..<equals].trimmingCharacters(in: .whitespaces)
        let text = override[override.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard key.contains("."), !text.isEmpty else { throw ConfigError.malformedOverride(override) }
        let source = "the command-line override '\(override)'"
        guard let expected = types[key] else { throw unknown(key, source: source) }
        var value: TOMLValueConvertible? = (try? TOMLTable(string: "value = \(text)"))?["value"]
        if expected == .string, value?.type != .string { value = text }
        guard let value else {
            throw ConfigError.wrongType(key: key, source: source, expected: describe(expected), found: "'\(text)'")
        }
        try set(key, to: value, source: source)
    }

    private mutating func set(_ key: String, to value: TOMLValueConvertible, source: String) throws {
        guard let expected = types[key] else { throw unknown(key, source: source) }
        let scalar: Scalar? = switch (expected, value.type) {
        case (.double, .int): value.int.map { .double(Double($0)) }  // 3 where 3.0 is meant
        case _ where expected == value.type: Scalar(value)
        default: nil
        }
        guard let scalar else {
            throw ConfigError.wrongType(key: key, source: source, expected: describe(expected),
                                        found: describe(value.type))
        }
        values[key] = scalar
        origins[key] = source
    }

    private func unknown(_ key: String, source: String) -> ConfigError {
        let section = String(key.prefix { $0 != "." })
        let known = sections.first { $0.name == section }.map { entry in entry.keys.map { "\(section).\($0)" } }
        return ConfigError.unknownKey(key: key, source: source, known: known ?? sections.map(\.name))
    }

    /// The merged configuration as a nested TOML table, ready to decode.
    func table() -> TOMLTable {
        let root = TOMLTable()
        for (name, keys) in sections {
            let section = TOMLTable()
            for key in keys { section[key] = values["\(name).\(key)"]?.toml }
            root[name] = section
        }
        return root
    }
}

/// A configuration value, copied out of TOMLKit's document so that it outlives it.
private enum Scalar {
    case int(Int), double(Double), string(String), bool(Bool)

    init?(_ value: TOMLValueConvertible) {
        if let v = value.int { self = .int(v) }
        else if let v = value.double { self = .double(v) }
        else if let v = value.string { self = .string(v) }
        else if let v = value.bool { self = .bool(v) }
        else { return nil }
    }

    var toml: TOMLValueConvertible {
        switch self {
        case let .int(v): v
        case let .double(v): v
        case let .string(v): v
        case let .bool(v): v
        }
    }
}

private func describe(_ type: TOMLType) -> String {
    switch type {
    case .int: "an integer"
    case .double: "a number"
    case .string: "a string"
    case .bool: "true or false"
    case .array: "an array"
    case .table: "a table"
    default: "a \(type)"
    }
}
