/// Writes a LevelDB-style sorted table byte for byte as TensorFlow's `table::TableBuilder`
/// does for a bundle's `.index` (`tensorflow/core/lib/io/table_builder.cc`,
/// `block_builder.cc`): data blocks of about 256 KiB with a restart point every 16 keys,
/// no compression (`BundleWriter` turns it off), an empty metaindex block, an index block
/// with a restart point on every key whose keys are the shortest separators between
/// blocks, and the 48-byte footer. See `TableReader` for the layout.
struct TableBuilder {
    static let blockSize = 262_144

    private(set) var bytes: [UInt8] = []
    private var dataBlock = BlockBuilder(restartInterval: 16)
    private var indexBlock = BlockBuilder(restartInterval: 1)
    private var lastKey: [UInt8] = []
    private var keyCount = 0
    private var pendingHandle: TableReader.BlockHandle?

    /// Adds a pair; keys must come in strictly increasing bytewise order.
    mutating func add(key: [UInt8], value: [UInt8]) {
        precondition(keyCount == 0 || lastKey.lexicographicallyPrecedes(key), "table keys must be added in increasing order")
        keyCount += 1
        if let handle = pendingHandle {
            indexBlock.add(key: Self.shortestSeparator(lastKey, key), value: Self.encode(handle))
            pendingHandle = nil
        }
        lastKey = key
        dataBlock.add(key: key, value: value)
        if dataBlock.sizeEstimate >= Self.blockSize { flush() }
    }

    /// Writes the remaining blocks and the footer; returns the whole file.
    mutating func finish() -> [UInt8] {
        flush()
        let metaindex = BlockBuilder(restartInterval: 16)
        let metaindexHandle = writeBlock(metaindex.finish())
        if let handle = pendingHandle {
            indexBlock.add(key: Self.shortSuccessor(lastKey), value: Self.encode(handle))
            pendingHandle = nil
        }
        let indexHandle = writeBlock(indexBlock.finish())
        var footer = Self.encode(metaindexHandle) + Self.encode(indexHandle)
        footer += [UInt8](repeating: 0, count: 40 - footer.count)
        withUnsafeBytes(of: TableReader.magic.littleEndian) { footer.append(contentsOf: $0) }
        bytes += footer
        return bytes
    }

    private mutating func flush() {
        guard !dataBlock.isEmpty else { return }
        pendingHandle = writeBlock(dataBlock.finish())
        dataBlock = BlockBuilder(restartInterval: dataBlock.restartInterval)
    }

    /// Appends a block, its type byte 0 and the masked CRC32C of both.
    private mutating func writeBlock(_ finished: [UInt8]) -> TableReader.BlockHandle {
        let contents = finished + [0]
        let handle = TableReader.BlockHandle(offset: bytes.count, size: contents.count - 1)
        let crc = contents.withUnsafeBytes { MaskedCRC32C.masked($0) }
        bytes += contents
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        return handle
    }

    private static func encode(_ handle: TableReader.BlockHandle) -> [UInt8] {
        var writer = MessageWriter()
        writer.appendVarint(UInt64(handle.offset))
        writer.appendVarint(UInt64(handle.size))
        return writer.bytes
    }

    /// The shortest key `k` with `start <= k < limit` that LevelDB's bytewise comparator
    /// finds (`FindShortestSeparator`): `start` cut after its first differing byte, that
    /// byte incremented, when this stays below `limit`; else `start` itself.
    static func shortestSeparator(_ start: [UInt8], _ limit: [UInt8]) -> [UInt8] {
        let common = zip(start, limit).prefix { $0 == $1 }.count
        guard common < min(start.count, limit.count) else { return start }
        let byte = start[common]
        guard byte < 0xFF, byte + 1 < limit[common] else { return start }
        return Array(start[..<common]) + [byte + 1]
    }

    /// A short key `>= key` (`FindShortSuccessor`): the first byte that is not 0xff,
    /// incremented, and everything after it dropped.
    static func shortSuccessor(_ key: [UInt8]) -> [UInt8] {
        guard let index = key.firstIndex(where: { $0 != 0xFF }) else { return key }
        return Array(key[..<index]) + [key[index] + 1]
    }
}

/// One block of a table being written (`block_builder.cc`): prefix-compressed keys, a
/// restart point (a key stored whole) every `restartInterval` keys, the restart offsets
/// and their count at the end.
struct BlockBuilder {
    let restartInterval: Int
    private var buffer: [UInt8] = []
    private var restarts: [UInt32] = [0]
    private var counter = 0
    private var lastKey: [UInt8] = []

    init(restartInterval: Int) {
        self.restartInterval = restartInterval
    }

    var isEmpty: Bool { buffer.isEmpty }

    /// The block's size once finished, as LevelDB estimates it to decide when to cut.
    var sizeEstimate: Int { buffer.count + restarts.count * 4 + 4 }

    mutating func add(key: [UInt8], value: [UInt8]) {
        var shared = 0
        if counter < restartInterval {
            shared = zip(lastKey, key).prefix { $0 == $1 }.count
        } else {
            restarts.append(UInt32(buffer.count))
            counter = 0
        }
        var header = MessageWriter()
        header.appendVarint(UInt64(shared))
        header.appendVarint(UInt64(key.count - shared))
        header.appendVarint(UInt64(value.count))
        buffer += header.bytes
        buffer += key[shared...]
        buffer += value
        lastKey = key
        counter += 1
    }

    /// The block's bytes: entries, restart offsets, restart count.
    func finish() -> [UInt8] {
        var result = buffer
        for restart in restarts + [UInt32(restarts.count)] {
            withUnsafeBytes(of: restart.littleEndian) { result.append(contentsOf: $0) }
        }
        return result
    }
}
