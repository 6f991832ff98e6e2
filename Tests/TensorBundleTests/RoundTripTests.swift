import Foundation
import Testing
import _TestSupport
@testable import TensorBundle

@Suite struct RoundTripTests {
    @Test func writerThenReaderGivesTheSameTensors() throws {
        let folder = TemporaryFolder("bundle-round-trip")
        let prefix = folder.file("nested/folder/model.ckpt").path
        var writer = TensorBundleWriter()
        writer.add("b/kernel", shape: [2, 3], values: [1, -2, 3.5, .pi, -0.0, .greatestFiniteMagnitude])
        writer.add("a/scalar", shape: [], values: [42])
        writer.add("c/empty", shape: [0], values: [])
        try writer.write(prefix: prefix)

        let reader = try TensorBundleReader(prefix: prefix)
        #expect(reader.names == ["a/scalar", "b/kernel", "c/empty"])
        #expect(try reader.floats("b/kernel", shape: [2, 3]) == [1, -2, 3.5, .pi, -0.0, .greatestFiniteMagnitude])
        #expect(try reader.floats("a/scalar") == [42])
        #expect(reader.shape("a/scalar") == [])
        #expect(try reader.floats("c/empty") == [])
        #expect(reader.shape("nothing") == nil)
        #expect(try reader.verifyAll() == 3)
    }

    /// 5000 tensors whose long names differ early (little prefix compression) fill more than
    /// one 256 KiB data block, so the reader must follow the index block through several data
    /// blocks and their separators.
    @Test func manyTensorsSpanSeveralDataBlocks() throws {
        let folder = TemporaryFolder("bundle-many")
        let prefix = folder.file("many").path
        var writer = TensorBundleWriter()
        let stem = String(repeating: "long_scope_name/", count: 6)
        for i in 0..<5000 {
            writer.add("tensor_\(i)/\(stem)", shape: [2], values: [Float(i), -Float(i)])
        }
        try writer.write(prefix: prefix)
        let index = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".index")))
        #expect(index.count > TableBuilder.blockSize, "the index should exceed one block: \(index.count) bytes")

        let reader = try TensorBundleReader(prefix: prefix)
        #expect(reader.names.count == 5000)
        for i in stride(from: 0, to: 5000, by: 97) {
            #expect(try reader.floats("tensor_\(i)/\(stem)") == [Float(i), -Float(i)])
        }
        #expect(try reader.verifyAll() == 5000)
    }

    @Test func separatorsFollowLevelDB() {
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        #expect(TableBuilder.shortestSeparator(bytes("abcdef"), bytes("abzz")) == bytes("abd"))
        #expect(TableBuilder.shortestSeparator(bytes("abc"), bytes("abd")) == bytes("abc"))  // c+1 == d: unchanged
        #expect(TableBuilder.shortestSeparator(bytes("ab"), bytes("abc")) == bytes("ab"))     // prefix: unchanged
        #expect(TableBuilder.shortSuccessor(bytes("dense_1/kernel/Adam_1")) == bytes("e"))
        #expect(TableBuilder.shortSuccessor([0xFF, 0xFF, 0x10]) == [0xFF, 0xFF, 0x11])
    }

    @Test func writerRejectsBadTensors() {
        var duplicate = TensorBundleWriter()
        duplicate.add("x", shape: [1], values: [1])
        duplicate.add("x", shape: [1], values: [2])
        #expect(throws: TensorBundleError.invalidArgument("tensor 'x' is added twice")) { try duplicate.encoded() }

        var wrongCount = TensorBundleWriter()
        wrongCount.add("y", shape: [2, 2], values: [1, 2, 3])
        #expect(throws: TensorBundleError.invalidArgument("tensor 'y' has shape [2, 2] but 3 values")) { try wrongCount.encoded() }
    }
}
