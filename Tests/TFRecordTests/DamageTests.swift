import Foundation
import TFRecord
import Testing
import _TestSupport

@Suite("Damaged files")
struct DamageTests {
    /// TensorFlow's uncompressed fixture, and the offset where each record starts.
    let original: [UInt8]
    let offsets: [Int]

    init() throws {
        original = try Fixtures.bytes("examples.tfrec")
        offsets = try Fixtures.rawRecords().reduce(into: [0]) { $0.append($0.last! + $1.count + 16) }.dropLast()
    }

    private func save(_ bytes: [UInt8], in folder: TemporaryFolder, as name: String = "damaged.tfrec") throws -> String {
        let path = folder.file(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func flipped(at position: Int) -> [UInt8] {
        var bytes = original
        bytes[position] ^= 0x5A
        return bytes
    }

    /// Reads Examples until damage; returns how many came before it, and the damage.
    private func readUntilDamage(_ path: String, compression: TFRecordCompression = .uncompressed) throws -> (
        Int, TFRecordError?
    ) {
        let reader = try TFRecordReader(path: path, options: .init(compression: compression))
        var count = 0
        do {
            while try reader.nextExample() != nil { count += 1 }
            return (count, nil)
        } catch let error as TFRecordError {
            return (count, error)
        }
    }

    /// Reads with `skipCorrupt`; returns the Examples delivered and the damage skipped.
    private func readSkipping(_ path: String, compression: TFRecordCompression = .uncompressed) throws -> (
        [Example], [TFRecordError]
    ) {
        let reader = try TFRecordReader(path: path, options: .init(compression: compression, skipCorrupt: true))
        var examples: [Example] = []
        while let example = try reader.nextExample() { examples.append(example) }
        return (examples, reader.skipped)
    }

    @Test("A flipped data byte in record 2 is corruptData at record 2; skipping goes on to records 3 and 4")
    func flippedDataByte() throws {
        let folder = TemporaryFolder("tfrecord-damage")
        let path = try save(flipped(at: offsets[2] + 12 + 5), in: folder)
        let (before, error) = try readUntilDamage(path)
        #expect(before == 2)
        let length = UInt64(offsets[3] - offsets[2] - 16)
        #expect(error == .corruptData(path: path, recordIndex: 2, offset: UInt64(offsets[2]), length: length))
        let (examples, skipped) = try readSkipping(path)
        let expected = try Fixtures.expectedExamples()
        #expect(examples.count == 4)
        #expect(sameBits(examples[2], expected[3]) && sameBits(examples[3], expected[4]))
        #expect(skipped.map(\.recordIndex) == [2])
    }

    @Test("A flipped footer byte is corruptData too")
    func flippedFooterByte() throws {
        let folder = TemporaryFolder("tfrecord-damage")
        let path = try save(flipped(at: offsets[1] - 2), in: folder)
        let (before, error) = try readUntilDamage(path)
        #expect(before == 0)
        guard case let .corruptData(_, index, offset, _)? = error else {
            Issue.record("expected corruptData, got \(String(describing: error))")
            return
        }
        #expect(index == 0 && offset == 0)
    }

    @Test("A flipped length byte or length-CRC byte is corruptLength; skipping stops at that file's damage",
          arguments: [0, 3, 8, 11])
    func flippedLengthByte(positionInHeader: Int) throws {
        let folder = TemporaryFolder("tfrecord-damage")
        let path = try save(flipped(at: offsets[1] + positionInHeader), in: folder)
        let (before, error) = try readUntilDamage(path)
        #expect(before == 1)
        #expect(error == .corruptLength(path: path, recordIndex: 1, offset: UInt64(offsets[1])))
        let (examples, skipped) = try readSkipping(path)
        #expect(examples.count == 1)
        #expect(skipped == [.corruptLength(path: path, recordIndex: 1, offset: UInt64(offsets[1]))])
    }

    @Test("A file cut inside record 3's data or header is truncated at record 3", arguments: [5, 20])
    func truncated(keep: Int) throws {
        let folder = TemporaryFolder("tfrecord-damage")
        let path = try save(Array(original[..<(offsets[3] + keep)]), in: folder)
        let (before, error) = try readUntilDamage(path)
        #expect(before == 3)
        #expect(error == .truncated(path: path, recordIndex: 3, offset: UInt64(offsets[3])))
        let (examples, skipped) = try readSkipping(path)
        #expect(examples.count == 3 && skipped.count == 1)
    }

    @Test("A length whose CRC checks out but exceeds the limit is impossibleLength")
    func impossibleLength() throws {
        let folder = TemporaryFolder("tfrecord-damage")
        var header = withUnsafeBytes(of: (UInt64(1) << 40).littleEndian) { Array($0) }
        let crc = header.withUnsafeBytes { CRC32C.maskedChecksum($0) }
        header += withUnsafeBytes(of: crc.littleEndian) { Array($0) }
        let path = try save(Array(original[..<offsets[1]]) + header + [1, 2, 3], in: folder)
        let (before, error) = try readUntilDamage(path)
        #expect(before == 1)
        #expect(
            error
                == .impossibleLength(
                    path: path, recordIndex: 1, offset: UInt64(offsets[1]), length: 1 << 40, limit: 1 << 31))
        // Under a lower limit, an ordinary record is impossible too.
        let strict = try TFRecordReader(
            path: try Fixtures.path("examples.tfrec"), options: .init(maximumRecordLength: 100))
        #expect(throws: TFRecordError.self) { while try strict.next() != nil {} }
    }

    @Test("After a thrown corruptData the caller can read on; after corruptLength the file is over")
    func continueAfterThrow() throws {
        let folder = TemporaryFolder("tfrecord-damage")
        let dataPath = try save(flipped(at: offsets[0] + 20), in: folder, as: "data.tfrec")
        let reader = try TFRecordReader(path: dataPath)
        #expect(throws: TFRecordError.self) { try reader.next() }
        #expect(try reader.next() != nil)
        #expect(reader.nextRecordIndex == 2)
        let lengthPath = try save(flipped(at: offsets[0] + 1), in: folder, as: "length.tfrec")
        let stopped = try TFRecordReader(path: lengthPath)
        #expect(throws: TFRecordError.self) { try stopped.next() }
        #expect(try stopped.next() == nil)
    }

    @Test("An intact record that is not an Example is undecodableRecord, and is skipped under skipCorrupt")
    func undecodableRecord() throws {
        let folder = TemporaryFolder("tfrecord-damage")
        let path = folder.file("mixed.tfrec").path
        let writer = try TFRecordWriter(path: path)
        try writer.write(articleExample(index: 0, window: 4))
        try writer.write([0xFF, 0xFF])
        try writer.write(articleExample(index: 1, window: 4))
        try writer.close()
        let (before, error) = try readUntilDamage(path)
        #expect(before == 1)
        guard case let .undecodableRecord(errorPath, index, offset, _)? = error else {
            Issue.record("expected undecodableRecord, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path && index == 1 && offset > 0)
        let (examples, skipped) = try readSkipping(path)
        #expect(examples == [articleExample(index: 0, window: 4), articleExample(index: 1, window: 4)])
        #expect(skipped.count == 1)
    }

    @Test("Damage inside a GZIP stream is reported, and skipped under skipCorrupt")
    func damagedGzip() throws {
        let folder = TemporaryFolder("tfrecord-damage")
        var gzip = try Fixtures.bytes("examples.gzip.tfrec")
        gzip[gzip.count / 2] ^= 0xFF
        let path = try save(gzip, in: folder)
        let (before, error) = try readUntilDamage(path, compression: .gzip)
        #expect(before < 5)
        #expect(error?.isDamage == true && error?.path == path)
        let (examples, skipped) = try readSkipping(path, compression: .gzip)
        #expect(examples.count < 5 && !skipped.isEmpty)
    }

    @Test("A GZIP file cut short ends in corruptCompression after the records it still holds")
    func truncatedGzip() throws {
        let folder = TemporaryFolder("tfrecord-damage")
        let gzip = try Fixtures.bytes("examples.gzip.tfrec")
        let path = try save(Array(gzip[..<(gzip.count - 6)]), in: folder)
        let (before, error) = try readUntilDamage(path, compression: .gzip)
        guard case let .corruptCompression(_, index, _, reason)? = error else {
            Issue.record("expected corruptCompression, got \(String(describing: error))")
            return
        }
        #expect(before == 5 && index == 5)
        #expect(reason.contains("end marker"))
    }

    @Test("Descriptions are sentences naming the file, the record and the offset")
    func descriptions() {
        let error = TFRecordError.corruptData(path: "/d/songs03-500.tfrec", recordIndex: 7, offset: 1234, length: 40)
        let text = error.description
        #expect(text.contains("/d/songs03-500.tfrec") && text.contains("record 7") && text.contains("byte 1234"))
        #expect(text.hasSuffix("."))
        #expect(TFRecordError.truncated(path: "f", recordIndex: 0, offset: 0).description.hasSuffix("."))
        #expect(!TFRecordError.invalidArgument("x").isDamage)
    }
}
