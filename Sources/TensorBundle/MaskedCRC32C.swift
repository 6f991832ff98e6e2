import CCRC32C

/// CRC32C and TensorFlow's mask, as the bundle stores them on tensors and table blocks.
///
/// The checksum is the `CCRC32C` C target shared with `TFRecord` (hardware instruction when
/// present). The three-line mask is repeated from `TFRecord.CRC32C` rather than shared,
/// because this module does not depend on `TFRecord` and sharing it would need a module of
/// its own. Reference: `tsl/lib/hash/crc32c.h` (`Mask`, `Unmask`, `kMaskDelta`).
enum MaskedCRC32C {
    static let maskDelta: UInt32 = 0xA282_EAD8

    /// The plain CRC32C of `bytes`, continuing from `crc`.
    static func checksum(_ bytes: UnsafeRawBufferPointer, extending crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return crc32c_extend(crc, base, bytes.count)
    }

    /// Rotate right by 15 bits, add `maskDelta`.
    static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ maskDelta
    }

    /// The masked CRC32C of `bytes`.
    static func masked(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        mask(checksum(bytes))
    }
}
