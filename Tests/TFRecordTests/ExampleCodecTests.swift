import Testing
import TFRecord

@Suite("tf.train.Example codec")
struct ExampleCodecTests {
    @Test("TensorFlow's records decode to the values the fixture script wrote down")
    func decodeTensorFlowRecords() throws {
        let records = try Fixtures.rawRecords()
        let expected = try Fixtures.expectedExamples()
        try #require(records.count == expected.count)
        #expect(records.count == 5)
        for (record, example) in zip(records, expected) {
            let decoded = try ExampleCodec.decode(record)
            #expect(sameBits(decoded, example), "decoded \(decoded)")
        }
    }

    @Test("Our encoder reproduces TensorFlow's record bytes exactly")
    func encodeMatchesTensorFlow() throws {
        let records = try Fixtures.rawRecords()
        let expected = try Fixtures.expectedExamples()
        for (index, (record, example)) in zip(records, expected).enumerated() {
            let encoded = ExampleCodec.encode(example)
            #expect(firstDifference(encoded, record) == nil, "record \(index)")
            #expect(ExampleCodec.encodedSize(of: example) == record.count)
        }
    }

    @Test("Map entries follow upb's deterministic order: bytewise, longer first on a shared prefix")
    func mapKeyOrder() {
        let keys = ["song", "ab", "", "a", "one_hot_class", "B", "é", "class", "aa"]
        let sorted = keys.sorted(by: ExampleCodec.mapKeyPrecedes)
        // Observed from SerializeToString(deterministic=True) with protobuf 7.36 (upb).
        #expect(sorted == ["B", "aa", "ab", "a", "class", "one_hot_class", "song", "é", ""])
    }

    @Test("Decoding accepts entries in any order, unpacked numbers and unknown fields")
    func decodeLenientForms() throws {
        // Example { Features { entry "b": int64_list unpacked [5, -1], entry "a": float_list
        // unpacked [1.5] } }, plus unknown fields of every wire type at each level.
        let unpackedInts: [UInt8] = [0x08, 0x05, 0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01]
        let intFeature: [UInt8] = [0x1A, UInt8(unpackedInts.count)] + unpackedInts + [0x20, 0x07]
        let entryB: [UInt8] = [0x0A, 0x01, 0x62, 0x12, UInt8(intFeature.count)] + intFeature
        let floatList: [UInt8] = [0x0D, 0x00, 0x00, 0xC0, 0x3F, 0x11] + [UInt8](repeating: 0, count: 8)
        let floatFeature: [UInt8] = [0x12, UInt8(floatList.count)] + floatList
        let entryA: [UInt8] = [0x0A, 0x01, 0x61, 0x12, UInt8(floatFeature.count)] + floatFeature + [0x1D, 1, 2, 3, 4]
        let features: [UInt8] =
            [0x0A, UInt8(entryB.count)] + entryB + [0x0A, UInt8(entryA.count)] + entryA + [0x12, 0x02, 0xAA, 0xBB]
        let example: [UInt8] = [0x18, 0x96, 0x01, 0x0A, UInt8(features.count)] + features + [0x23, 0x08, 0x01, 0x24]
        let decoded = try ExampleCodec.decode(example)
        #expect(decoded.features.count == 2)
        #expect(decoded["b"] == .int64([5, -1]))
        #expect(decoded["a"] == .float([1.5]))
    }

    @Test("Entries in reverse order decode the same as the sorted encoding")
    func decodeReversedEntries() throws {
        let example = articleExample(index: 3, window: 40)
        // Each single-feature encoding is 0A len <0A len entry>: take the inner entries.
        let entries = example.features.keys.sorted(by: ExampleCodec.mapKeyPrecedes).map { key in
            let single = ExampleCodec.encode(Example(features: [key: example[key]!]))
            return Array(single[(single[1] < 0x80 ? 2 : 3)...])
        }
        let body = Array(entries.reversed().joined())
        let reversed = [0x0A] + varint(body.count) + body
        #expect(reversed != ExampleCodec.encode(example))
        #expect(try ExampleCodec.decode(reversed) == example)
    }

    @Test("A Feature with no list is left out, as TensorFlow's parser treats it as missing")
    func emptyFeatureIsAbsent() throws {
        // entry "x" with an empty Feature, entry "y" with float_list [1.0]
        let bytes: [UInt8] = [
            0x0A, 0x16, 0x0A, 0x05, 0x0A, 0x01, 0x78, 0x12, 0x00, 0x0A, 0x0D, 0x0A, 0x01, 0x79, 0x12, 0x08, 0x12,
            0x06, 0x0A, 0x04, 0x00, 0x00, 0x80, 0x3F,
        ]
        let decoded = try ExampleCodec.decode(bytes)
        #expect(decoded.features.keys.sorted() == ["y"])
        #expect(decoded["y"] == .float([1]))
    }

    @Test("Malformed bytes are rejected with the offset of the problem")
    func malformed() {
        let cases: [(bytes: [UInt8], offset: Int)] = [
            ([0x0A, 0x05, 0x0A], 1),  // Features length runs past the end
            ([0x0A, 0x02, 0x0A, 0x80], 3),  // a varint that never ends
            ([0x0F], 0),  // wire type 7
            ([0x00], 0),  // field number 0
            // A packed float list of 3 bytes.
            ([0x0A, 0x0E, 0x0A, 0x0C, 0x0A, 0x01, 0x61, 0x12, 0x07, 0x12, 0x05, 0x0A, 0x03, 0x01, 0x02, 0x03], 12),
        ]
        for (bytes, offset) in cases {
            #expect {
                _ = try ExampleCodec.decode(bytes)
            } throws: { error in
                guard case let .malformedExample(_, byteOffset)? = error as? TFRecordError else { return false }
                return byteOffset == offset
            }
        }
        // Invalid UTF-8 in a feature name.
        #expect(throws: TFRecordError.self) {
            try ExampleCodec.decode([0x0A, 0x06, 0x0A, 0x04, 0x0A, 0x02, 0xC3, 0x28])
        }
    }

    @Test("Encoding into a buffer writes the same bytes, and refuses a buffer too small")
    func encodeIntoBuffer() throws {
        let example = articleExample(index: 1, window: 100)
        let expected = ExampleCodec.encode(example)
        var buffer = [UInt8](repeating: 0, count: expected.count + 10)
        let written = try buffer.withUnsafeMutableBytes { try ExampleCodec.encode(example, into: $0) }
        #expect(written == expected.count)
        #expect(Array(buffer[..<written]) == expected)
        var small = [UInt8](repeating: 0, count: expected.count - 1)
        #expect(throws: TFRecordError.self) {
            try small.withUnsafeMutableBytes { try ExampleCodec.encode(example, into: $0) }
        }
    }

    @Test("Round trip of large values and lengths that need multi-byte varints")
    func roundTrip() throws {
        let example = Example(features: [
            "big": .float((0..<70000).map { Float($0) * 0.5 }),
            "ints": .int64([Int64.min, Int64.max, 0, -1, 1 << 35]),
            "blob": .bytes([[UInt8](repeating: 7, count: 200), []]),
        ])
        let bytes = ExampleCodec.encode(example)
        #expect(bytes.count == ExampleCodec.encodedSize(of: example))
        #expect(try ExampleCodec.decode(bytes) == example)
    }

    private func varint(_ value: Int) -> [UInt8] {
        var rest = UInt64(value)
        var out: [UInt8] = []
        while rest >= 0x80 {
            out.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        return out + [UInt8(rest)]
    }
}
