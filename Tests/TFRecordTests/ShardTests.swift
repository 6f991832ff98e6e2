import Foundation
import Seeded
import TFRecord
import Testing
import _TestSupport

@Suite("Shards")
struct ShardTests {
    @Test("ceil(n / S) records per shard, the last ones short, never an empty shard")
    func planSizes() throws {
        let cases: [(records: Int, shards: Int, sizes: [Int])] = [
            (10, 4, [3, 3, 3, 1]), (9, 4, [3, 3, 3]), (8000, 16, Array(repeating: 500, count: 16)),
            (3, 5, [1, 1, 1]), (0, 4, []), (7, 1, [7]), (17, 16, Array(repeating: 2, count: 8) + [1]),
        ]
        for (records, shards, sizes) in cases {
            let plan = try ShardPlan(recordCount: records, shardCount: shards, seed: 1)
            #expect(plan.shards.map(\.recordIndices.count) == sizes, "\(records) in \(shards)")
            #expect(plan.shards.flatMap(\.recordIndices).sorted() == Array(0..<records))
        }
        #expect(throws: TFRecordError.self) { try ShardPlan(recordCount: 5, shardCount: 0, seed: nil) }
    }

    @Test("File names are PREFIXNN-COUNT.tfrec")
    func fileNames() throws {
        let plan = try ShardPlan(recordCount: 10, shardCount: 4, seed: nil)
        #expect(plan.shards.map(\.fileName) == ["songs00-3.tfrec", "songs01-3.tfrec", "songs02-3.tfrec", "songs03-1.tfrec"])
        #expect(ShardPlan.fileName(prefix: "x", shardIndex: 123, recordCount: 5) == "x123-5.tfrec")
    }

    @Test("The shuffle is fixed by the seed, differs between seeds, and nil keeps input order")
    func shuffleBySeed() throws {
        let a = try ShardPlan(recordCount: 100, shardCount: 4, seed: 42)
        let b = try ShardPlan(recordCount: 100, shardCount: 4, seed: 42)
        let c = try ShardPlan(recordCount: 100, shardCount: 4, seed: 43)
        let none = try ShardPlan(recordCount: 100, shardCount: 4, seed: nil)
        #expect(a == b)
        #expect(a.shards.flatMap(\.recordIndices) != c.shards.flatMap(\.recordIndices))
        #expect(none.shards.flatMap(\.recordIndices) == Array(0..<100))
        // SplitMix64's first output for seed 0 is the published 0xE220A8397B1DCDAF.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test("Sharded files hold every Example once, read back in order and in parallel")
    func writeAndReadShards() throws {
        let folder = TemporaryFolder("tfrecord-shards")
        let examples = (0..<50).map { articleExample(index: $0, window: 64) }
        let writer = ShardedWriter(directory: folder.url.path, shardCount: 8, seed: 7)
        let written = try writer.write(examples)
        #expect(written.map(\.recordCount) == [7, 7, 7, 7, 7, 7, 7, 1])
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        #expect(names == (0..<8).map { ShardPlan.fileName(prefix: "songs", shardIndex: $0, recordCount: $0 == 7 ? 1 : 7) })

        let plan = try writer.plan(recordCount: 50)
        let reader = try ShardedReader(directory: folder.url.path, prefix: "songs")
        let iterator = reader.makeIterator()
        var ordered: [Example] = []
        while let example = try iterator.next() { ordered.append(example) }
        #expect(ordered == plan.shards.flatMap(\.recordIndices).map { examples[$0] })
        #expect(iterator.recordsRead == 50 && iterator.location?.recordIndex == 0)

        // The callback runs under the reader's lock, so it may mutate local state.
        var collected: [(Example, ShardedReader.RecordLocation)] = []
        let summary = try reader.forEachConcurrently { example, location in
            collected.append((example, location))
        }
        #expect(summary.recordsRead == 50 && summary.skipped.isEmpty)
        // Each Example arrives once, and its location points at where the plan put it.
        for (example, location) in collected {
            let shard = plan.shards[location.fileIndex]
            #expect(examples[shard.recordIndices[location.recordIndex]] == example)
        }
        #expect(Set(collected.map { "\($0.1.fileIndex)/\($0.1.recordIndex)" }).count == 50)
    }

    @Test("Concurrent, sequential and compressed sharding write the same records")
    func concurrentEqualsSequential() throws {
        let examples = (0..<30).map { articleExample(index: $0, window: 32) }
        let first = TemporaryFolder("tfrecord-seq")
        let second = TemporaryFolder("tfrecord-par")
        let third = TemporaryFolder("tfrecord-gz")
        let sequential = try ShardedWriter(directory: first.url.path, shardCount: 4, seed: 3).write(examples, concurrently: false)
        let concurrent = try ShardedWriter(directory: second.url.path, shardCount: 4, seed: 3).write(examples)
        for (a, b) in zip(sequential, concurrent) {
            #expect(try Data(contentsOf: URL(fileURLWithPath: a.path)) == Data(contentsOf: URL(fileURLWithPath: b.path)))
        }
        try ShardedWriter(directory: third.url.path, shardCount: 4, seed: 3, compression: .gzip).write(examples)
        let options = TFRecordReader.Options(compression: .gzip)
        let iterator = try ShardedReader(directory: third.url.path, options: options).makeIterator()
        var count = 0
        while try iterator.next() != nil { count += 1 }
        #expect(count == 30)
    }

    @Test("A stream is sharded with the same membership, in arrival order within each shard")
    func streamWriter() throws {
        let folder = TemporaryFolder("tfrecord-stream")
        let examples = (0..<23).map { articleExample(index: $0, window: 8) }
        let writer = ShardedWriter(directory: folder.url.path, shardCount: 5, seed: 11)
        let written = try writer.write(stream: examples.lazy.map { $0 }, recordCount: 23)
        let plan = try writer.plan(recordCount: 23)
        for (shard, file) in zip(plan.shards, written) {
            let reader = try TFRecordReader(path: file.path)
            var got: [Example] = []
            while let example = try reader.nextExample() { got.append(example) }
            #expect(got == shard.recordIndices.sorted().map { examples[$0] })
        }
        let short = TemporaryFolder("tfrecord-short")
        #expect(throws: TFRecordError.self) {
            try ShardedWriter(directory: short.url.path, shardCount: 5).write(stream: examples.prefix(20), recordCount: 23)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: short.url.path).isEmpty)
    }

    @Test("A failing producer leaves no partial shard behind")
    func failingProducer() throws {
        let folder = TemporaryFolder("tfrecord-fail")
        let writer = ShardedWriter(directory: folder.url.path, shardCount: 2, seed: nil)
        #expect(throws: FixtureError.self) {
            try writer.write(recordCount: 10) { index in
                if index == 7 { throw FixtureError("producer failed") }
                return articleExample(index: index, window: 4)
            }
        }
        // The first shard (records 0-4) completed; the second never appears, not even half-written.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["songs00-5.tfrec"])
    }

    @Test("Damage in one shard is skipped and counted by both readers under skipCorrupt")
    func damagedShard() throws {
        let folder = TemporaryFolder("tfrecord-shard-damage")
        let examples = (0..<12).map { articleExample(index: $0, window: 16) }
        let written = try ShardedWriter(directory: folder.url.path, shardCount: 3, seed: 5).write(examples)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: written[1].path)))
        bytes[20] ^= 1  // inside record 0's data
        try Data(bytes).write(to: URL(fileURLWithPath: written[1].path))

        let reader = ShardedReader(paths: written.map(\.path), options: .init(skipCorrupt: true))
        let iterator = reader.makeIterator()
        var count = 0
        while try iterator.next() != nil { count += 1 }
        #expect(count == 11)
        #expect(iterator.skipped.map(\.path) == [written[1].path])
        let summary = try reader.forEachConcurrently { _, _ in }
        #expect(summary.recordsRead == 11 && summary.skipped.count == 1)

        let strict = ShardedReader(paths: written.map(\.path))
        #expect {
            try strict.forEachConcurrently { _, _ in }
        } throws: { error in
            guard case let .corruptData(path, index, _, _)? = error as? TFRecordError else { return false }
            return path == written[1].path && index == 0
        }
    }
}
