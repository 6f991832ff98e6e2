/// Reads the `.index` file of a bundle, a LevelDB-style sorted table ("SSTable") of
/// key → value pairs: footer → index block → every data block, each block's trailer CRC
/// checked, each entry's prefix-compressed key rebuilt.
///
/// Layout (`tensorflow/core/lib/io/format.h`, `table_builder.cc`, LevelDB `doc/table_format.md`):
///
///     [data block][trailer] ... [metaindex block][trailer] [index block][trailer] [footer, 48 bytes]
///     trailer  = 1 byte compression type (0 none, 1 Snappy) + uint32 masked CRC32C of block + type
///     footer   = metaindex handle, index handle (varint64 offset + varint64 size each),
///                zero padding to 40 bytes, magic 0xdb4775248b80fb57 little-endian
///     block    = entries, then uint32 restart offsets, then uint32 restart count
///     entry    = varint32 shared, varint32 non_shared, varint32 value_length,
///                key[shared...] suffix, value
///
/// The index block has one entry per data block whose value is that block's handle.
struct TableReader {
    static let magic: UInt64 = 0xDB47_7524_8B80_FB57
    static let footerLength = 48
    static let trailerLength = 5

    /// A block's position: offset and size (without the 5-byte trailer).
    struct BlockHandle: Equatable {
        var offset: Int
        var size: Int
    }

    /// Why the table is unreadable; the caller turns it into a `TensorBundleError`.
    struct Damage: Error {
        var key: String?
        var reason: String
        var unsupported = false
    }

    /// Every key → value pair of the table at `bytes`, in table order.
    static func entries(of bytes: UnsafeRawBufferPointer) throws(Damage) -> [(key: [UInt8], value: ArraySlice<UInt8>)] {
        guard bytes.count >= footerLength else {
            throw Damage(reason: "the file has \(bytes.count) bytes, fewer than the 48-byte footer")
        }
        let footerStart = bytes.count - footerLength
        let storedMagic = bytes.loadUnaligned(fromByteOffset: footerStart + 40, as: UInt64.self).littleEndian
        guard storedMagic == magic else {
            throw Damage(reason: "the footer's magic number is 0x\(String(storedMagic, radix: 16)), not 0xdb4775248b80fb57 (not a table, or truncated)")
        }
        var position = footerStart
        guard let metaindex = readHandle(bytes, &position, end: footerStart + 40),
              let index = readHandle(bytes, &position, end: footerStart + 40) else {
            throw Damage(reason: "the footer's block handles are malformed")
        }
        _ = try block(bytes, metaindex, limit: footerStart, what: "metaindex block")
        let indexBlock = try block(bytes, index, limit: footerStart, what: "index block")
        var result: [(key: [UInt8], value: ArraySlice<UInt8>)] = []
        for (separator, value) in try blockEntries(indexBlock, what: "index block") {
            var handleBytes = Array(value)
            let handle: BlockHandle? = handleBytes.withUnsafeMutableBytes { raw in
                var at = 0
                return readHandle(UnsafeRawBufferPointer(raw), &at, end: raw.count)
            }
            guard let handle else {
                throw Damage(reason: "the index entry '\(String(decoding: separator, as: UTF8.self))' has a malformed block handle")
            }
            handleBytes.removeAll()
            let data = try block(bytes, handle, limit: metaindex.offset, what: "data block at byte \(handle.offset)")
            result += try blockEntries(data, what: "data block at byte \(handle.offset)")
        }
        return result
    }

    private static func readHandle(_ bytes: UnsafeRawBufferPointer, _ position: inout Int, end: Int) -> BlockHandle? {
        guard let offset = readVarint(bytes, &position, end: end), let size = readVarint(bytes, &position, end: end),
              offset < UInt64(Int.max / 2), size < UInt64(Int.max / 2) else { return nil }
        return BlockHandle(offset: Int(offset), size: Int(size))
    }

    /// The contents of one block, after checking it lies before `limit` and its trailer.
    private static func block(_ bytes: UnsafeRawBufferPointer, _ handle: BlockHandle, limit: Int, what: String)
        throws(Damage) -> [UInt8]
    {
        guard handle.offset + handle.size + trailerLength <= limit else {
            throw Damage(reason: "the \(what) (\(handle.size) bytes at \(handle.offset)) runs past the end of its region")
        }
        let contents = UnsafeRawBufferPointer(rebasing: bytes[handle.offset..<(handle.offset + handle.size)])
        let type = bytes[handle.offset + handle.size]
        let stored = bytes.loadUnaligned(fromByteOffset: handle.offset + handle.size + 1, as: UInt32.self).littleEndian
        let typeByte = UnsafeRawBufferPointer(rebasing: bytes[(handle.offset + handle.size)..<(handle.offset + handle.size + 1)])
        let actual = MaskedCRC32C.mask(MaskedCRC32C.checksum(typeByte, extending: MaskedCRC32C.checksum(contents)))
        guard stored == actual else {
            throw Damage(reason: "the \(what) fails its CRC32C check")
        }
        switch type {
        case 0: return Array(contents)
        case 1: throw Damage(reason: "the \(what) is Snappy-compressed (written by TensorFlow 1.0 or 1.1)", unsupported: true)
        default: throw Damage(reason: "the \(what) has unknown compression type \(type)")
        }
    }

    /// The key → value pairs of one block, keys rebuilt from their shared prefixes.
    private static func blockEntries(_ block: [UInt8], what: String) throws(Damage) -> [(key: [UInt8], value: ArraySlice<UInt8>)] {
        guard block.count >= 4 else { throw Damage(reason: "the \(what) is shorter than its restart count") }
        var result: [(key: [UInt8], value: ArraySlice<UInt8>)] = []
        let damage: Damage? = block.withUnsafeBytes { bytes -> Damage? in
            let restartCount = Int(bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self).littleEndian)
            guard restartCount >= 1, restartCount <= (bytes.count - 4) / 4 else {
                return Damage(reason: "the \(what) claims \(restartCount) restart points")
            }
            let limit = bytes.count - 4 - 4 * restartCount
            var position = 0
            var key: [UInt8] = []
            while position < limit {
                guard let shared = readVarint(bytes, &position, end: limit),
                      let nonShared = readVarint(bytes, &position, end: limit),
                      let valueLength = readVarint(bytes, &position, end: limit),
                      shared <= UInt64(key.count), nonShared + valueLength <= UInt64(limit - position) else {
                    let after = key.isEmpty ? "at its start" : "after key '\(String(decoding: key, as: UTF8.self))'"
                    return Damage(key: nil, reason: "the \(what) has a malformed entry \(after)")
                }
                key.removeSubrange(Int(shared)...)
                key += block[position..<(position + Int(nonShared))]
                position += Int(nonShared)
                result.append((key, block[position..<(position + Int(valueLength))]))
                position += Int(valueLength)
            }
            return nil
        }
        if let damage { throw damage }
        return result
    }
}
