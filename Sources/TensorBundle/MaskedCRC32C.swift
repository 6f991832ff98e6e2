import CCRC32C

/// CRC32C and TensorFlow's mask, as the bundle stores them on tensors and table blocks.
///
/// Both the checksum (hardware instruction when present) and the mask come from the
/// `CCRC32C` C target, which `TFRecord` uses too; this module does not depend on `TFRecord`.
/// Reference: `tsl/lib/hash/crc32c.h` (`Value`, `Extend`, `Mask`).
enum MaskedCRC32C {
    /// The plain CRC32C of `bytes`, continuing from `crc`.
    static func checksum(_ bytes: UnsafeRawBufferPointer, extending crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return crc32c_extend(crc, base, bytes.count)
    }

    /// TensorFlow's mask of a stored CRC: rotate right by 15 bits, add `0xA282EAD8`.
    static func mask(_ crc: UInt32) -> UInt32 {
        crc32c_mask(crc)
    }

    /// The masked CRC32C of `bytes`.
    static func masked(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        mask(checksum(bytes))
    }
}
