import Dispatch
import Foundation

/// Reads the Examples of many shard files: in order on one thread, or on all cores.
public struct ShardedReader: Sendable {
    /// Where a record came from.
    public struct RecordLocation: Sendable, Hashable {
        /// The shard file.
        public let path: String
        /// The file's position in `paths`.
        public let fileIndex: Int
        /// The record's 0-based index in its file (skipped records count).
        public let recordIndex: Int
    }

    /// What a whole read found.
    public struct Summary: Sendable {
        /// Examples delivered.
        public let recordsRead: Int
        /// Damage skipped under `skipCorrupt`, ordered by file then record.
        public let skipped: [TFRecordError]
    }

    /// The shard files, in reading order.
    public let paths: [String]
    /// How each file is read.
    public var options: TFRecordReader.Options

    /// A reader of the given files, in the order given.
    public init(paths: [String], options: TFRecordReader.Options = TFRecordReader.Options()) {
        self.paths = paths
        self.options = options
    }

    /// A reader of every `PREFIX*.tfrec` file in `directory`, in name order.
    ///
    /// - Throws: `TFRecordError.cannotOpen` if the directory cannot be listed.
    public init(directory: String, prefix: String = "", options: TFRecordReader.Options = TFRecordReader.Options())
        throws
    {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw TFRecordError.cannotOpen(path: directory, reason: "cannot list the directory")
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let shards = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".tfrec") && !$0.hasPrefix(".") }
        self.init(paths: shards.sorted().map { base + $0 }, options: options)
    }

    /// An iterator over every Example, file by file, record by record, on the calling thread.
    public func makeIterator() -> Iterator {
        Iterator(paths: paths, options: options)
    }

    /// Reads and decodes all files on all cores, one file per task, and calls `body` with
    /// each Example under a lock, so `body` never runs on two threads at once.
    ///
    /// Examples of one file arrive in file order; files interleave. The first error (damage
    /// without `skipCorrupt`, or one `body` throws) stops every task and is rethrown.
    ///
    /// - Returns: How many Examples were delivered and what was skipped.
    @discardableResult
    public func forEachConcurrently(_ body: (Example, RecordLocation) throws -> Void) throws -> Summary {
        // Calls are serialized by `delivery`, so the closure is never entered concurrently.
        nonisolated(unsafe) let body = body
        let delivery = NSLock()
        let results = LockedResults<[TFRecordError]>(count: paths.count)
        let counter = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: paths.count) { fileIndex in
            guard !results.hasFailed else { return }
            let path = paths[fileIndex]
            do {
                let reader = try TFRecordReader(path: path, options: options)
                while !results.hasFailed {
                    guard let example = try reader.nextExample() else { break }
                    // Skipped damage advances the index too, so read it after the Example.
                    let recordIndex = reader.nextRecordIndex - 1
                    try delivery.withLock {
                        try body(example, RecordLocation(path: path, fileIndex: fileIndex, recordIndex: recordIndex))
                    }
                    counter.increment()
                }
                results.store(reader.skipped, at: fileIndex)
            } catch {
                results.fail(error)
            }
        }
        return Summary(recordsRead: counter.value, skipped: try results.collect().flatMap { $0 })
    }

    /// Reads every Example of the files in order on the calling thread.
    public final class Iterator {
        private let paths: [String]
        private let options: TFRecordReader.Options
        private var fileIndex = -1
        private var reader: TFRecordReader?
        /// Damage skipped so far under `skipCorrupt`, ordered by file then record.
        public private(set) var skipped: [TFRecordError] = []
        /// Examples returned so far.
        public private(set) var recordsRead = 0
        /// Where the Example last returned came from.
        public private(set) var location: RecordLocation?

        init(paths: [String], options: TFRecordReader.Options) {
            self.paths = paths
            self.options = options
        }

        /// The next Example, opening the next file when one runs out; `nil` after the last.
        ///
        /// - Throws: `TFRecordError` for damage (unless `skipCorrupt`) or an unreadable file.
        public func next() throws -> Example? {
            while true {
                if let reader {
                    let skippedBefore = reader.skipped.count
                    let example = try reader.nextExample()
                    skipped.append(contentsOf: reader.skipped[skippedBefore...])
                    if let example {
                        recordsRead += 1
                        location = RecordLocation(
                            path: reader.path, fileIndex: fileIndex, recordIndex: reader.nextRecordIndex - 1)
                        return example
                    }
                    self.reader = nil
                }
                fileIndex += 1
                guard fileIndex < paths.count else { return nil }
                reader = try TFRecordReader(path: paths[fileIndex], options: options)
            }
        }
    }
}

/// A count shared by threads.
final class LockedCounter: @unchecked Sendable {
    // `count` is read and written only under `lock`.
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.withLock { count += 1 }
    }

    var value: Int {
        lock.withLock { count }
    }
}
