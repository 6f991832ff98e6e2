import Seeded

/// Which records go into which shard file, in which order, under which name.
///
/// `recordsPerShard` is `ceil(recordCount / shardCount)`, as the article computes it, so
/// every shard but the last ones is full and the last may be short. No empty shard is
/// planned: 9 records in 4 shards give 3 files of 3, not 4 files.
///
/// Files are named `PREFIXNN-COUNT.tfrec`: `NN` the shard index on at least two digits,
/// `COUNT` the records in that shard (`songs00-500.tfrec`).
public struct ShardPlan: Sendable, Equatable {
    /// One planned file.
    public struct Shard: Sendable, Equatable {
        /// The shard's index, from 0.
        public let index: Int
        /// The file name, without directory.
        public let fileName: String
        /// The input indices of the records it holds, in write order.
        public let recordIndices: [Int]
    }

    /// How many records are planned.
    public let recordCount: Int
    /// The most records in one shard: `ceil(recordCount / shardCount)`.
    public let recordsPerShard: Int
    /// The shards, in index order; at most the requested count, fewer when some would be empty.
    public let shards: [Shard]

    /// Plans `recordCount` records over at most `shardCount` files.
    ///
    /// - Parameters:
    ///   - recordCount: Records to write (at least 0).
    ///   - shardCount: Files wanted (at least 1).
    ///   - seed: Shuffles the records with `SplitMix64(seed:)` before sharding; `nil` keeps
    ///     input order.
    ///   - prefix: The start of each file name.
    /// - Throws: `TFRecordError.invalidArgument` for a negative record count or a shard
    ///   count below 1.
    public init(recordCount: Int, shardCount: Int, seed: UInt64?, prefix: String = "songs") throws {
        guard recordCount >= 0 else { throw TFRecordError.invalidArgument("the record count \(recordCount) is negative") }
        guard shardCount >= 1 else { throw TFRecordError.invalidArgument("the shard count must be at least 1, not \(shardCount)") }
        var order = Array(0..<recordCount)
        if let seed {
            var generator = SplitMix64(seed: seed)
            generator.shuffle(&order)
        }
        self.recordCount = recordCount
        recordsPerShard = recordCount == 0 ? 0 : (recordCount + shardCount - 1) / shardCount
        var shards: [Shard] = []
        var start = 0
        while start < recordCount {
            let end = min(start + recordsPerShard, recordCount)
            let index = shards.count
            shards.append(
                Shard(
                    index: index, fileName: Self.fileName(prefix: prefix, shardIndex: index, recordCount: end - start),
                    recordIndices: Array(order[start..<end])))
            start = end
        }
        self.shards = shards
    }

    /// `PREFIXNN-COUNT.tfrec`, the shard index on at least two digits.
    public static func fileName(prefix: String, shardIndex: Int, recordCount: Int) -> String {
        let digits = String(shardIndex)
        let padded = digits.count < 2 ? String(repeating: "0", count: 2 - digits.count) + digits : digits
        return "\(prefix)\(padded)-\(recordCount).tfrec"
    }

    /// For each input index, the shard it goes to.
    public var shardOfRecord: [Int] {
        var result = [Int](repeating: 0, count: recordCount)
        for shard in shards {
            for record in shard.recordIndices { result[record] = shard.index }
        }
        return result
    }
}
