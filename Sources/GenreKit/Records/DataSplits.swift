import Foundation

/// Training, validation and test: which shard files and tracks each holds.
/// Written by step 04 to `artifacts/04-splits/splits.json`, read by every model.
public struct DataSplits: Codable, Equatable, Sendable {
    public enum Name: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable { case train, validation, test }

    public struct Split: Codable, Equatable, Sendable {
        /// Shard indices (every set's shard k holds the same tracks).
        public var shards: [Int]
        /// Set name to shard paths, relative to `artifacts/03-tfrecords`.
        public var files: [String: [String]]
        public var trackIDs: [Int]
        /// Tracks per class, in label order.
        public var perClass: [Int]
        public var records: Int { trackIDs.count }
    }

    /// `shards` (the article's) or `fma` (FMA's official split).
    public var strategy: String
    public var classes: [String]
    public var splits: [Name: Split]

    public subscript(name: Name) -> Split { splits[name]! }

    public static func url(in workspace: Workspace) -> URL {
        workspace.folder(.splits).appendingPathComponent("splits.json")
    }

    public static func load(from workspace: Workspace) throws -> DataSplits {
        let url = url(in: workspace)
        try workspace.requireArtifact(url, madeBy: .splits)
        return try JSONDecoder().decode(DataSplits.self, from: Data(contentsOf: url))
    }

    /// The article's split: whole shard files, `testFraction` of them for test, then
    /// `validationFraction` of the rest for validation (scikit-learn's `train_test_split`
    /// rounding: the held-out count is rounded up). With 16 shards: 9 / 3 / 4 files.
    /// - Throws: `SplitError.tooFewShards` when a split would be empty.
    public static func byShards(_ records: RecordsManifest, testFraction: Double, validationFraction: Double,
                                seed: UInt64) throws -> DataSplits {
        let count = records.shardTracks.count
        let testCount = Int((testFraction * Double(count)).rounded(.up))
        let validationCount = Int((validationFraction * Double(count - testCount)).rounded(.up))
        guard count - testCount - validationCount >= 1, testCount >= 1, validationCount >= 1 else {
            throw SplitError.tooFewShards(count: count)
        }
        var order = Array(0..<count)
        var random = SeededGenerator(seed: seed)
        order.shuffle(using: &random)
        let test = Array(order[0..<testCount]).sorted()
        let validation = Array(order[testCount..<(testCount + validationCount)]).sorted()
        let train = Array(order[(testCount + validationCount)...]).sorted()
        func split(_ shards: [Int]) -> Split {
            make(shards: shards, trackIDs: shards.flatMap { records.shardTracks[$0] }, records: records)
        }
        return DataSplits(strategy: "shards", classes: records.classes,
                          splits: [.train: split(train), .validation: split(validation), .test: split(test)])
    }

    /// FMA's official split (artist-filtered, 80 / 10 / 10): every shard is read, and each
    /// record goes to its track's split.
    /// - Throws: `SplitError.noOfficialSplit` when the tracks carry none (a folder collection).
    public static func official(_ records: RecordsManifest, tracks: [TrackEntry]) throws -> DataSplits {
        let splitOf = Dictionary(uniqueKeysWithValues: tracks.map { ($0.id, $0.split) })
        let names: [String: Name] = ["training": .train, "validation": .validation, "test": .test]
        var ids: [Name: [Int]] = [.train: [], .validation: [], .test: []]
        for shard in records.shardTracks {
            for id in shard {
                guard let name = splitOf[id].flatMap({ names[$0] }) else { throw SplitError.noOfficialSplit(trackID: id) }
                ids[name]!.append(id)
            }
        }
        let all = Array(records.shardTracks.indices)
        var splits: [Name: Split] = [:]
        for name in Name.allCases { splits[name] = make(shards: all, trackIDs: ids[name]!, records: records) }
        return DataSplits(strategy: "fma", classes: records.classes, splits: splits)
    }

    private static func make(shards: [Int], trackIDs: [Int], records: RecordsManifest) -> Split {
        var files: [String: [String]] = [:]
        for (set, shardFiles) in records.sets { files[set] = shards.map { "\(set)/\(shardFiles[$0].name)" } }
        var perClass = [Int](repeating: 0, count: records.classes.count)
        for id in trackIDs { perClass[records.labels[String(id)]!] += 1 }
        return Split(shards: shards, files: files, trackIDs: trackIDs, perClass: perClass)
    }

    /// Tracks found in more than one split (should be none).
    public var overlaps: Set<Int> {
        var seen: [Int: Name] = [:]
        var overlap: Set<Int> = []
        for name in Name.allCases {
            for id in self[name].trackIDs {
                if let other = seen[id], other != name { overlap.insert(id) }
                seen[id] = name
            }
        }
        return overlap
    }
}

public enum SplitError: Error, CustomStringConvertible, Equatable {
    case tooFewShards(count: Int)
    case noOfficialSplit(trackID: Int)
    case mismatch(file: String, reason: String)
    case overlap(trackIDs: [Int])

    public var description: String {
        switch self {
        case let .tooFewShards(count):
            "\(count) shards cannot make three non-empty splits; write more shards (tfrecords.shards) or use splits.strategy = \"fma\"."
        case let .noOfficialSplit(id):
            "Track \(id) has no official split (training, validation or test); a folder collection has none, so use splits.strategy = \"shards\"."
        case let .mismatch(file, reason):
            "\(file) does not hold what records.json says: \(reason). Run step 03 again."
        case let .overlap(ids):
            "Tracks \(ids.prefix(10).map(String.init).joined(separator: ", ")) appear in two splits."
        }
    }
}
