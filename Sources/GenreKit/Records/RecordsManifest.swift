import Foundation

/// What step 03 writes, in `artifacts/03-tfrecords/records.json`: the shard files of each
/// set, and which tracks each shard holds. It is the plan, written before the shards, and the
/// same for every worker, so that workers sharing a folder agree on it. Every set uses the same shard plan, so shard `k`
/// of `raw1d`, `mel2d` and the rest hold the same tracks, and a split of shard indices
/// applies to all sets alike.
public struct RecordsManifest: Codable, Equatable, Sendable {
    public struct ShardFile: Codable, Equatable, Sendable {
        public var name: String
        public var records: Int

        public init(name: String, records: Int) {
            self.name = name
            self.records = records
        }
    }

    /// Class names, label order.
    public var classes: [String]
    /// Set name (`raw1d`, ...) to its files in shard order.
    public var sets: [String: [ShardFile]]
    /// Track ids per shard index, in record order.
    public var shardTracks: [[Int]]
    /// Each track's label, by track id (as a string key, for JSON).
    public var labels: [String: Int]
    /// Tracks left out, by reason.
    public var skipped: [String: Int]
    public var sampleRate: Int
    public var windowSize: Int
    public var imageShape: [Int]
    public var shuffleSeed: Int

    public init(classes: [String], sets: [String: [ShardFile]], shardTracks: [[Int]], labels: [String: Int],
                skipped: [String: Int], sampleRate: Int, windowSize: Int, imageShape: [Int], shuffleSeed: Int) {
        self.classes = classes
        self.sets = sets
        self.shardTracks = shardTracks
        self.labels = labels
        self.skipped = skipped
        self.sampleRate = sampleRate
        self.windowSize = windowSize
        self.imageShape = imageShape
        self.shuffleSeed = shuffleSeed
    }

    public static func url(in workspace: Workspace) -> URL {
        workspace.folder(.tfrecords).appendingPathComponent("records.json")
    }

    public static func load(from workspace: Workspace) throws -> RecordsManifest {
        let url = url(in: workspace)
        try workspace.requireArtifact(url, madeBy: .tfrecords)
        return try JSONDecoder().decode(RecordsManifest.self, from: Data(contentsOf: url))
    }

    /// The folder of a record set.
    public static func folder(of set: RecordSet, in workspace: Workspace) -> URL {
        workspace.folder(.tfrecords).appendingPathComponent(set.rawValue)
    }
}
