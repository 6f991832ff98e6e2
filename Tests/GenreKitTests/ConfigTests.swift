@testable import GenreKit
import _TestSupport
import Foundation
import Testing

@Suite struct ConfigTests {
    let folder = TemporaryFolder("config")

    func file(_ text: String) throws -> String {
        let url = folder.file("c-\(UUID().uuidString).toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func defaultFileSpellsOutTheBuiltInDefaults() throws {
        let config = try ConfigLoader.load(file: Self.root.appendingPathComponent("config/default.toml").path)
        #expect(config == GenreConfig.article)
    }

    @Test func defaultsAreTheArticles() {
        let t = GenreConfig.article.tfrecords
        #expect((t.shards, t.windowSize, t.imageSamples, t.shuffleSeed) == (16, 10000, 50176, 35155))
        #expect((t.imageHeight, t.imageWidth, t.imageChannels) == (224, 224, 3))
        #expect(GenreConfig.article.training.batchSize == 32 && GenreConfig.article.training.seed == 42)
        // 20 % test, then 20 % of the rest: 64 / 16 / 20.
        let s = GenreConfig.article.splits
        #expect(abs((1 - s.testFraction) * (1 - s.validationFraction) - 0.64) < 1e-12)
    }

    @Test func ciFileChangesOnlyWhatItNames() throws {
        let config = try ConfigLoader.load(file: Self.root.appendingPathComponent("config/ci.toml").path)
        #expect(config.data.demoClipsPerGenre == 4)
        #expect(config.paths.artifacts == "artifacts/ci")
        #expect(config.tfrecords.windowSize == 10000)
    }

    @Test func aPartialFileOverridesTheDefaults() throws {
        let config = try ConfigLoader.load(file: try file("[tfrecords]\nshards = 4\n[audio]\nmin_seconds = 3\n"))
        #expect(config.tfrecords.shards == 4)
        #expect(config.audio.minSeconds == 3)  // an integer where a number is expected is fine
        #expect(config.tfrecords.windowSize == 10000)
    }

    @Test func unknownKeyIsRefusedWithItsNameAndFile() throws {
        let path = try file("[tfrecords]\nshard = 4\n")
        #expect { try ConfigLoader.load(file: path) } throws: { error in
            guard case let ConfigError.unknownKey(key, source, known) = error else { return false }
            return key == "tfrecords.shard" && source == path && known.contains("tfrecords.shards")
                && "\(error)".contains("tfrecords.shard") && "\(error)".contains(path)
        }
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: try file("[training2]\nseed = 1\n")) }
    }

    @Test func wrongTypeIsRefusedWithItsNameAndFile() throws {
        let path = try file("[tfrecords]\nshards = \"sixteen\"\n")
        #expect(throws: ConfigError.wrongType(key: "tfrecords.shards", source: path, expected: "an integer", found: "a string")) {
            try ConfigLoader.load(file: path)
        }
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: try file("[tfrecords]\nshards = 2.5\n")) }
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: try file("tfrecords = 3\n")) }
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let path = try file("[tfrecords]\nshards = = 4\n")
        #expect { try ConfigLoader.load(file: path) } throws: { error in
            guard case let ConfigError.syntax(file, line, _, _) = error else { return false }
            return file == path && line == 2
        }
    }

    @Test func overridesApplyLastAndAreChecked() throws {
        let config = try ConfigLoader.load(file: try file("[tfrecords]\nshards = 4\n"),
                                           overrides: ["tfrecords.shards=8", "data.subset=medium", "audio.min_seconds=2"])
        #expect(config.tfrecords.shards == 8)
        #expect(config.data.subset == "medium")
        #expect(config.audio.minSeconds == 2)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: nil, overrides: ["tfrecords.shardz=8"]) }
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: nil, overrides: ["tfrecords.shards=many"]) }
        #expect(throws: ConfigError.malformedOverride("shards")) { try ConfigLoader.load(file: nil, overrides: ["shards"]) }
    }

    @Test func valuesOutOfRangeAreRefused() throws {
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: nil, overrides: ["data.subset=tiny"]) }
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: nil, overrides: ["splits.test_fraction=1.5"]) }
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: nil, overrides: ["tfrecords.shards=0"]) }
    }
}
