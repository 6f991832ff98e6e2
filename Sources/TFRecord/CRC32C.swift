import CCRC32C

/// CRC32C (Castagnoli) and the masking TFRecord applies to it.
///
/// The checksum itself runs in the `CCRC32C` C target: on the CPU's CRC32 instruction
/// (x86-64 SSE 4.2, ARMv8 CRC) when the CPU has one, on a slicing-by-8 table otherwise. The
/// mask is there too, as `static inline` C functions, so that `TensorBundle` shares it.
///
/// References: `tsl/lib/hash/crc32c.h` (`Value`, `Extend`, `Mask`, `Unmask`) in TensorFlow;
/// RFC 3720 appendix B.4 for the polynomial and test vectors.
public enum CRC32C {
    /// Which code computes the checksum.
    public enum Implementation: Sendable, CustomStringConvertible {
        /// The CPU's CRC32C instruction (`crc32` on x86-64 with SSE 4.2, `crc32c*` on ARMv8).
        case hardware
        /// The portable slicing-by-8 table.
        case table

        public var description: String {
            switch self {
            case .hardware: "hardware CRC32C instruction"
            case .table: "slicing-by-8 table"
            }
        }
    }

    /// Whether this CPU has a CRC32C instruction the C target knows how to use.
    public static var isHardwareAvailable: Bool { crc32c_hardware_available() != 0 }

    /// The implementation `checksum(_:)` uses right now.
    public static var activeImplementation: Implementation {
        crc32c_hardware_in_use() != 0 ? .hardware : .table
    }

    /// Makes `checksum(_:)` use the table even where the CPU has the instruction (`true`),
    /// or restores the default (`false`). Affects every thread; meant for benchmarks.
    public static func forceTable(_ force: Bool) {
        crc32c_force_table(force ? 1 : 0)
    }

    /// The CRC32C of `bytes`, continuing from `crc` (the CRC of the bytes before them).
    ///
    /// - Parameters:
    ///   - bytes: The bytes to checksum.
    ///   - crc: The checksum of everything before `bytes`; 0 to start afresh.
    ///   - implementation: Forces one implementation; `nil` picks the fastest available.
    /// - Returns: The unmasked CRC32C.
    public static func checksum(
        _ bytes: UnsafeRawBufferPointer, extending crc: UInt32 = 0, using implementation: Implementation? = nil
    ) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        switch implementation {
        case nil: return crc32c_extend(crc, base, bytes.count)
        case .hardware?: return crc32c_extend_hardware(crc, base, bytes.count)
        case .table?: return crc32c_extend_table(crc, base, bytes.count)
        }
    }

    /// The CRC32C of a byte array; see `checksum(_:extending:using:)`.
    public static func checksum(
        _ bytes: [UInt8], extending crc: UInt32 = 0, using implementation: Implementation? = nil
    ) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, extending: crc, using: implementation) }
    }

    /// Masks a CRC as TFRecord stores it: rotate right by 15 bits, add `0xA282EAD8`
    /// (`crc32c_mask` in the `CCRC32C` C target, which `TensorBundle` shares).
    ///
    /// TensorFlow masks because a CRC computed over data that itself contains CRCs is weak
    /// (`crc32c.h`: "it is problematic to compute the CRC of a string that contains
    /// embedded CRCs").
    @inlinable
    public static func mask(_ crc: UInt32) -> UInt32 {
        crc32c_mask(crc)
    }

    /// Undoes `mask(_:)` (`crc32c_unmask` in the C target).
    @inlinable
    public static func unmask(_ maskedCRC: UInt32) -> UInt32 {
        crc32c_unmask(maskedCRC)
    }

    /// The masked CRC32C of `bytes`, as stored in a TFRecord header or footer.
    public static func maskedChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        mask(checksum(bytes))
    }
}
