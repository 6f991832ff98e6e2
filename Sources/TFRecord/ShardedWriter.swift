import Dispatch
import Foundation

/// Writes Examples into shard files `PREFIXNN-COUNT.tfrec`, shuffled with a seed.
///
/// The layout comes from `ShardPlan`: `ceil(n / shardCount)` records per shard, never an
/// empty shard. Every file is written under a temporary name and renamed when complete, so
/// a shard that exists is whole; on failure the files written so far stay and the one in
/// progress is removed.
public struct ShardedWriter: Sendable {
    /// The directory the shards go into; it must exist.
    public var directory: String
    /// The files wanted; fewer are written when there are fewer records than that.
    public var shardCount: Int
    /// The start of each file name.
    public var prefix: String
    /// The shuffle's seed; `nil` writes records in input order.
    public var seed: UInt64?
    /// Compression of each file.
    public var compression: TFRecordCompression

    /// A writer of `shardCount` shards into `directory`.
    public init(
        directory: String, shardCount: Int, prefix: String = "songs", seed: UInt64? = 0,
        compression: TFRecordCompression = .uncompressed
    ) {
        self.directory = directory
        self.shardCount = shardCount
        self.prefix = prefix
        self.seed = seed
        self.compression = compression
    }

    /// What was written for one shard.
    public struct WrittenShard: Sendable, Equatable {
        /// The file's full path.
        public let path: String
        /// Records in it.
        public let recordCount: Int
        /// Bytes of framed records, before compression.
        public let byteCount: UInt64
    }

    /// The plan for `recordCount` records with this writer's settings.
    public func plan(recordCount: Int) throws -> ShardPlan {
        try ShardPlan(recordCount: recordCount, shardCount: shardCount, seed: seed, prefix: prefix)
    }

    /// Writes `recordCount` records fetched by index, one shard after the other.
    ///
    /// - Parameters:
    ///   - recordCount: How many records there are.
    ///   - example: Returns the Example with a given input index (each asked for once).
    /// - Returns: The shards written, in index order.
    /// - Throws: `TFRecordError`, or what `example` throws.
    @discardableResult
    public func write(recordCount: Int, example: (Int) throws -> Example) throws -> [WrittenShard] {
        let plan = try plan(recordCount: recordCount)
        return try plan.shards.map { shard in
            try writeShard(shard) { writer in
                for index in shard.recordIndices { try writer.write(try example(index)) }
            }
        }
    }

    /// Writes `recordCount` records fetched by index, several shards at once on all cores.
    ///
    /// Same files as `write(recordCount:example:)`; `example` is called from several threads.
    /// - Parameter only: the shard indices to write (a worker's share, or the shards still
    ///   missing after an interrupted run); nil writes them all. The plan, and so every file's
    ///   name and content, is the same whichever shards are written.
    /// - Returns: the shards written, in index order.
    @discardableResult
    public func writeConcurrently(recordCount: Int, only: Set<Int>? = nil,
                                  example: @Sendable (Int) throws -> Example) throws -> [WrittenShard]
    {
        let shards = try plan(recordCount: recordCount).shards.filter { only?.contains($0.index) ?? true }
        let results = LockedResults<WrittenShard>(count: shards.count)
        DispatchQueue.concurrentPerform(iterations: shards.count) { position in
            guard !results.hasFailed else { return }
            let shard = shards[position]
            do {
                let written = try writeShard(shard) { writer in
                    for index in shard.recordIndices {
                        guard !results.hasFailed else { throw CancellationError() }
                        try writer.write(try example(index))
                    }
                }
                results.store(written, at: position)
            } catch {
                results.fail(error)
            }
        }
        return try results.collect()
    }

    /// Writes `examples`; see `writeConcurrently(recordCount:example:)`.
    @discardableResult
    public func write(_ examples: [Example], concurrently: Bool = true) throws -> [WrittenShard] {
        concurrently
            ? try writeConcurrently(recordCount: examples.count) { examples[$0] }
            : try write(recordCount: examples.count) { examples[$0] }
    }

    /// Writes a stream of `recordCount` Examples as they arrive, all shards open at once,
    /// holding no more than one Example in memory.
    ///
    /// The seed decides which shard each arriving record joins (the same membership as the
    /// other methods), but inside a shard records keep their arrival order, since reordering
    /// them would mean holding them all.
    ///
    /// - Throws: `TFRecordError.invalidArgument` if the stream holds more or fewer than
    ///   `recordCount` Examples; then no shard is left behind.
    @discardableResult
    public func write<Examples: Sequence<Example>>(stream examples: Examples, recordCount: Int) throws
        -> [WrittenShard]
    {
        let plan = try plan(recordCount: recordCount)
        let shardOfRecord = plan.shardOfRecord
        let writers = try plan.shards.map { shard in
            try TFRecordWriter(path: path(of: shard), compression: compression, atomically: true)
        }
        var received = 0
        do {
            for example in examples {
                guard received < recordCount else {
                    throw TFRecordError.invalidArgument("the stream holds more than the \(recordCount) Examples announced")
                }
                try writers[shardOfRecord[received]].write(example)
                received += 1
            }
            guard received == recordCount else {
                throw TFRecordError.invalidArgument("the stream ended after \(received) of \(recordCount) Examples")
            }
            for writer in writers { try writer.close() }
        } catch {
            for writer in writers { writer.discard() }
            throw error
        }
        return writers.map { WrittenShard(path: $0.path, recordCount: $0.recordsWritten, byteCount: $0.bytesWritten) }
    }

    private func path(of shard: ShardPlan.Shard) -> String {
        directory.hasSuffix("/") ? directory + shard.fileName : directory + "/" + shard.fileName
    }

    private func writeShard(_ shard: ShardPlan.Shard, body: (TFRecordWriter) throws -> Void) throws -> WrittenShard {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TFRecordError.cannotOpen(path: directory, reason: (error as NSError).localizedDescription)
        }
        let writer = try TFRecordWriter(path: path(of: shard), compression: compression, atomically: true)
        do {
            try body(writer)
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return WrittenShard(path: writer.path, recordCount: writer.recordsWritten, byteCount: writer.bytesWritten)
    }
}
