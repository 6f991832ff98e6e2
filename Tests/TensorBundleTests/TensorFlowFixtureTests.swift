import Foundation
import Testing
@testable import TensorBundle

/// Our reader on bundles TensorFlow wrote, and our writer against TensorFlow's bytes.
@Suite struct TensorFlowFixtureTests {
    @Test func readerReadsTensorFlowsSaveV2Bundle() throws {
        let reader = try TensorBundleReader(prefix: try Fixtures.prefix("tf_small"))
        #expect(reader.names == Fixtures.smallShapes.map(\.name))
        #expect(reader.header == TensorBundleHeader(shardCount: 1, isBigEndian: false, producer: 1, minConsumer: 0))
        for (k, (name, shape)) in Fixtures.smallShapes.enumerated() {
            #expect(reader.shape(name) == shape, "\(name)")
            #expect(reader.entries[name]?.dtype == .float)
            let expected = Fixtures.formula(count: shape.reduce(1, *), k: k)
            #expect(try reader.floats(name) == expected, "\(name)")
        }
        #expect(try reader.verifyAll() == 6)
    }

    /// Same tensors in, same files out: TensorFlow's SaveV2 is deterministic (data in the
    /// order given, index as BundleWriter builds it), so byte equality is the strongest check
    /// that TensorFlow reads what we write.
    @Test func writerBytesEqualTensorFlows() throws {
        var writer = TensorBundleWriter()
        for (k, (name, shape)) in Fixtures.smallShapes.enumerated().reversed() {
            writer.add(name, shape: shape, values: Fixtures.formula(count: shape.reduce(1, *), k: k))
        }
        let (index, data) = try writer.encoded()
        let expectedIndex = try Fixtures.bytes("tf_small.index")
        let expectedData = try Fixtures.bytes("tf_small.data-00000-of-00001")
        #expect(data == expectedData)
        #expect(index == expectedIndex, "first difference at byte \(zip(index, expectedIndex).prefix { $0 == $1 }.count) of \(expectedIndex.count)")
    }

    @Test func readerConvertsEveryNumericType() throws {
        let reader = try TensorBundleReader(prefix: try Fixtures.prefix("tf_types"))
        let base = Fixtures.formula(count: 6, k: 0)
        #expect(reader.entries["t_float16"]?.dtype == .half)
        #expect(reader.entries["t_bfloat16"]?.dtype == .bfloat16)
        #expect(try reader.floats("t_float16") == base)
        #expect(try reader.floats("t_bfloat16") == base)
        #expect(try reader.floats("t_float64") == base)
        #expect(try reader.floats("t_int32") == [-3000, -2000, -1000, 0, 1000, 2000])
        #expect(try reader.floats("t_int64") == [-300_000, -200_000, -100_000, 0, 100_000, 200_000])
        #expect(try reader.floats("t_uint8") == [250, 251, 252, 253, 254, 255])
        #expect(try reader.floats("t_bool") == [1, 0, 1, 1, 0, 0])
    }

    /// A TF2 object checkpoint: keys with `/.ATTRIBUTES/VARIABLE_VALUE`, and a string tensor
    /// (the object graph) whose CRC covers fixed-width lengths rather than the stored varints.
    @Test func readerReadsObjectCheckpointWithStringEntry() throws {
        let reader = try TensorBundleReader(prefix: try Fixtures.prefix("tf_object"))
        #expect(reader.entries["_CHECKPOINTABLE_OBJECT_GRAPH"]?.dtype == .string)
        #expect(try reader.verifyAll() == reader.names.count)
        #expect(try reader.floats("weights/.ATTRIBUTES/VARIABLE_VALUE", shape: [3, 4]) == Fixtures.formula(count: 12, k: 1))
        #expect(try reader.floats("bias/.ATTRIBUTES/VARIABLE_VALUE") == Fixtures.formula(count: 4, k: 2))
        #expect(throws: TensorBundleError.unsupportedDataType(
            path: reader.dataPath(of: "_CHECKPOINTABLE_OBJECT_GRAPH")!, tensor: "_CHECKPOINTABLE_OBJECT_GRAPH",
            dataType: "DT_STRING")) {
            try reader.floats("_CHECKPOINTABLE_OBJECT_GRAPH")
        }
    }
}
