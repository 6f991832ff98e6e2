import Seeded
import Testing
import TFRecord

// Serialized: `forceTable` changes what `activeImplementation` reports for the whole process.
@Suite("CRC32C", .serialized)
struct CRC32CTests {
    /// RFC 3720 appendix B.4, and the customary check value of "123456789".
    static let vectors: [(name: String, bytes: [UInt8], crc: UInt32)] = [
        ("32 zeros", [UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ("32 x 0xFF", [UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        ("0 to 31", (0..<32).map { UInt8($0) }, 0x46DD_794E),
        ("31 to 0", (0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C),
        ("123456789", Array("123456789".utf8), 0xE306_9283),
        ("empty", [], 0),
    ]

    @Test("Known vectors match on both implementations", arguments: [CRC32C.Implementation.table, .hardware])
    func knownVectors(implementation: CRC32C.Implementation) {
        for vector in Self.vectors {
            #expect(CRC32C.checksum(vector.bytes, using: implementation) == vector.crc, "\(vector.name)")
        }
    }

    @Test("The default path reports which implementation it uses")
    func activeImplementation() {
        #expect(CRC32C.checksum(Self.vectors[4].bytes) == 0xE306_9283)
        #expect((CRC32C.activeImplementation == .hardware) == CRC32C.isHardwareAvailable)
    }

    @Test("Hardware equals table for every length 0...300 at every misalignment 0...7")
    func hardwareEqualsTable() {
        var generator = SplitMix64(seed: 32)
        let buffer = (0..<320).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        buffer.withUnsafeBytes { all in
            for shift in 0..<8 {
                for length in 0...300 {
                    let slice = UnsafeRawBufferPointer(rebasing: all[shift..<(shift + length)])
                    let table = CRC32C.checksum(slice, using: .table)
                    let hardware = CRC32C.checksum(slice, using: .hardware)
                    if table != hardware {
                        Issue.record("length \(length) shift \(shift): table \(table) hardware \(hardware)")
                        return
                    }
                }
            }
        }
    }

    @Test("Checksumming in pieces equals checksumming at once")
    func extendInPieces() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let whole = CRC32C.checksum(bytes)
        for cut in [0, 1, 7, 8, 9, 20, bytes.count] {
            for implementation in [CRC32C.Implementation.table, .hardware] {
                let first = CRC32C.checksum(Array(bytes[..<cut]), using: implementation)
                #expect(CRC32C.checksum(Array(bytes[cut...]), extending: first, using: implementation) == whole)
            }
        }
    }

    @Test("Mask is TensorFlow's rotate-and-add, and unmask inverts it")
    func masking() {
        // Rotating 0xE3069283 right by 15 gives 0x2507C60D; adding 0xA282EAD8 gives 0xC78AB0E5.
        #expect(CRC32C.mask(0xE306_9283) == 0xC78A_B0E5)
        var generator = SplitMix64(seed: 5)
        for _ in 0..<1000 {
            let crc = UInt32(truncatingIfNeeded: generator.next())
            #expect(CRC32C.unmask(CRC32C.mask(crc)) == crc)
        }
        #expect(CRC32C.mask(0) == 0xA282_EAD8)
    }

    @Test("Forcing the table changes the active implementation and not the value")
    func forceTable() {
        let bytes = [UInt8](repeating: 0xFF, count: 32)
        CRC32C.forceTable(true)
        let forced = CRC32C.activeImplementation
        let value = CRC32C.checksum(bytes)
        CRC32C.forceTable(false)
        #expect(forced == .table)
        #expect(value == 0x62A8_AB43)
        #expect((CRC32C.activeImplementation == .hardware) == CRC32C.isHardwareAvailable)
    }
}
