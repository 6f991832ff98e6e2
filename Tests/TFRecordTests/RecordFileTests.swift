import Foundation
import Seeded
import TFRecord
import Testing
import _TestSupport

@Suite("TFRecord files")
struct RecordFileTests {
    @Test("Our writer's uncompressed file is byte-identical to TensorFlow's")
    func writerMatchesTensorFlow() throws {
        let folder = TemporaryFolder("tfrecord-writer")
        let path = folder.file("ours.tfrec").path
        let writer = try TFRecordWriter(path: path)
        for example in try Fixtures.expectedExamples() { try writer.write(example) }
        try writer.close()
        #expect(writer.recordsWritten == 5)
        let ours = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(firstDifference(ours, try Fixtures.bytes("examples.tfrec")) == nil)
        #expect(UInt64(ours.count) == writer.bytesWritten)
    }

    @Test("Raw records written through the byte API frame identically")
    func rawRecordWriter() throws {
        let folder = TemporaryFolder("tfrecord-raw")
        let path = folder.file("raw.tfrec").path
        let writer = try TFRecordWriter(path: path)
        for record in try Fixtures.rawRecords() { try writer.write(record) }
        try writer.close()
        let ours = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(firstDifference(ours, try Fixtures.bytes("examples.tfrec")) == nil)
    }

    @Test(
        "TensorFlow's uncompressed, GZIP and ZLIB fixtures read back to the expected Examples",
        arguments: [
            ("examples.tfrec", TFRecordCompression.uncompressed), ("examples.gzip.tfrec", .gzip),
            ("examples.zlib.tfrec", .zlib),
        ])
    func readTensorFlowFixture(name: String, compression: TFRecordCompression) throws {
        let reader = try TFRecordReader(path: try Fixtures.path(name), options: .init(compression: compression))
        var examples: [Example] = []
        while let example = try reader.nextExample() { examples.append(example) }
        let expected = try Fixtures.expectedExamples()
        try #require(examples.count == expected.count)
        for (got, want) in zip(examples, expected) { #expect(sameBits(got, want)) }
        #expect(reader.recordsRead == expected.count)
        #expect(reader.skipped.isEmpty)
        #expect(try reader.nextExample() == nil)
    }

    @Test("Compressed fixtures really are gzip and zlib streams")
    func compressedFixtureMagic() throws {
        let gzip = try Fixtures.bytes("examples.gzip.tfrec")
        let zlib = try Fixtures.bytes("examples.zlib.tfrec")
        #expect(Array(gzip.prefix(2)) == [0x1F, 0x8B])
        #expect(zlib[0] == 0x78 && (UInt16(zlib[0]) << 8 | UInt16(zlib[1])) % 31 == 0)
    }

    @Test("Our GZIP and ZLIB files read back, records of every size", arguments: [TFRecordCompression.gzip, .zlib])
    func compressedRoundTrip(compression: TFRecordCompression) throws {
        let folder = TemporaryFolder("tfrecord-compressed")
        let path = folder.file("c.tfrec").path
        var generator = SplitMix64(seed: 9)
        // Up to 700 kB: larger than the 256 kB inflate window, so the window must grow.
        let records: [[UInt8]] = [0, 1, 11, 12, 13, 1000, 70000, 700_000, 3].map { length in
            (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next() & 0x03) }
        }
        let writer = try TFRecordWriter(path: path, compression: compression)
        for record in records { try writer.write(record) }
        try writer.close()
        let reader = try TFRecordReader(path: path, options: .init(compression: compression))
        #expect(try reader.readAll() == records)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(UInt64(size) < writer.bytesWritten / 2)
    }

    @Test("Concatenated gzip members read as one stream")
    func multiMemberGzip() throws {
        let folder = TemporaryFolder("tfrecord-members")
        let gzip = try Fixtures.bytes("examples.gzip.tfrec")
        let path = folder.file("twice.tfrec").path
        try Data(gzip + gzip).write(to: URL(fileURLWithPath: path))
        let reader = try TFRecordReader(path: path, options: .init(compression: .gzip))
        #expect(try reader.readAll().count == 10)
    }

    @Test("An empty file holds no records")
    func emptyFile() throws {
        let folder = TemporaryFolder("tfrecord-empty")
        let path = folder.file("empty.tfrec").path
        try TFRecordWriter(path: path).close()
        #expect(try TFRecordReader(path: path).next() == nil)
        let gzipPath = folder.file("empty.gz.tfrec").path
        try TFRecordWriter(path: gzipPath, compression: .gzip).close()
        #expect(try TFRecordReader(path: gzipPath, options: .init(compression: .gzip)).next() == nil)
    }

    @Test("An atomic writer shows nothing at its path until closed, and nothing if discarded")
    func atomicWriter() throws {
        let folder = TemporaryFolder("tfrecord-atomic")
        let path = folder.file("a.tfrec").path
        let writer = try TFRecordWriter(path: path, atomically: true)
        try writer.write([1, 2, 3])
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.close()
        #expect(FileManager.default.fileExists(atPath: path))
        let discarded = folder.file("b.tfrec").path
        let other = try TFRecordWriter(path: discarded, atomically: true)
        try other.write([4])
        other.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["a.tfrec"])
        #expect(throws: TFRecordError.self) { try other.write([5]) }
    }

    @Test("Opening a missing file names it")
    func missingFile() {
        #expect {
            _ = try TFRecordReader(path: "/nonexistent/x.tfrec")
        } throws: { error in
            (error as? TFRecordError)?.path == "/nonexistent/x.tfrec"
        }
    }
}
