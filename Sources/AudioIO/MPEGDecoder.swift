import CMPG123

/// Decodes MPEG audio (MP3, and layers I and II) with libmpg123.
///
/// The whole file is handed to mpg123's feed interface, which parses ID3 tags, skips
/// encoder delay and padding (gapless decoding, from the LAME/Xing header) and resyncs
/// past damaged frames and leading or trailing junk, as the `mpg123` command does.
/// Output is 32-bit float at the stream's own rate and channel count.
///
/// One decoder owns one mpg123 handle; make one per thread.
public final class MPEGDecoder {
    private let handle: OpaquePointer

    /// How far (in bytes) mpg123 searches for the next frame header after damage.
    /// mpg123's default is 1024; FMA's files can carry more junk than that.
    public static let resyncLimit = 1 << 20

    private static let libraryReady: Bool = {
        // mpg123_init is a no-op since 1.27 but required before; harmless to call once.
        mpg123_init() == MPG123_OK.rawValue
    }()

    public init() throws {
        precondition(Self.libraryReady, "mpg123_init failed")
        var status: Int32 = 0
        guard let handle = mpg123_new(nil, &status) else {
            throw AudioIOError.decodeFailed(
                path: "-", decoder: "libmpg123", reason: String(cString: mpg123_plain_strerror(status)))
        }
        self.handle = handle
        mpg123_param2(handle, Int32(MPG123_ADD_FLAGS.rawValue), Int(MPG123_QUIET.rawValue), 0)
        mpg123_param2(handle, Int32(MPG123_RESYNC_LIMIT.rawValue), Self.resyncLimit, 0)
        // Accept every rate and channel count, always as float.
        mpg123_format_none(handle)
        var rates: UnsafePointer<Int>?
        var rateCount = 0
        mpg123_rates(&rates, &rateCount)
        for i in 0..<rateCount {
            mpg123_format(handle, rates![i], Int32(MPG123_MONO.rawValue | MPG123_STEREO.rawValue),
                          Int32(MPG123_ENC_FLOAT_32.rawValue))
        }
    }

    deinit { mpg123_delete(handle) }

    /// Decodes a whole in-memory MPEG stream.
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - path: the file's name, used in error messages only.
    /// - Throws: `AudioIOError.noAudio` when no frame decodes, `.decodeFailed` on a library error.
    public func decode(_ bytes: [UInt8], path: String) throws -> Audio {
        try check(mpg123_open_feed(handle), path: path)
        defer { mpg123_close(handle) }
        let fed = bytes.withUnsafeBufferPointer { mpg123_feed(handle, $0.baseAddress, $0.count) }
        try check(fed, path: path)

        var rate = 0
        var channels: Int32 = 0
        var samples: [Float] = []
        samples.reserveCapacity(bytes.count * 12)  // about 1:12 compression for 128-320 kbit/s
        var chunk = [Float](repeating: 0, count: 1 << 15)
        loop: while true {
            var done = 0
            let status = chunk.withUnsafeMutableBytes { buffer in
                mpg123_read(handle, buffer.baseAddress, buffer.count, &done)
            }
            if done > 0 { samples.append(contentsOf: chunk[0..<done / MemoryLayout<Float>.size]) }
            switch status {
            case MPG123_OK.rawValue:
                continue
            case MPG123_NEW_FORMAT.rawValue:
                var newRate = 0, newChannels: Int32 = 0, encoding: Int32 = 0
                mpg123_getformat(handle, &newRate, &newChannels, &encoding)
                // A clip never changes format midway: a second format means junk that happened
                // to look like a frame header. Keep the audio before it.
                if rate > 0, (newRate, newChannels) != (rate, channels) { break loop }
                (rate, channels) = (newRate, newChannels)
            case MPG123_NEED_MORE.rawValue, MPG123_DONE.rawValue:
                break loop  // everything we fed has been decoded
            default:
                // A hard error after some audio decoded is a damaged tail: keep what we have.
                if samples.isEmpty { try check(status, path: path) }
                break loop
            }
        }
        // A handle reused for a file of the same format as the previous one announces no new
        // format, so ask for it.
        if rate == 0, !samples.isEmpty {
            var encoding: Int32 = 0
            mpg123_getformat(handle, &rate, &channels, &encoding)
        }
        guard rate > 0, channels > 0, samples.count >= Int(channels) else {
            throw AudioIOError.noAudio(path: path, decoder: "libmpg123")
        }
        let whole = samples.count - samples.count % Int(channels)
        return Audio(interleaved: Array(samples[0..<whole]), channelCount: Int(channels), sampleRate: rate)
    }

    private func check(_ status: Int32, path: String) throws {
        guard status != MPG123_OK.rawValue else { return }
        let message = status == MPG123_ERR.rawValue
            ? String(cString: mpg123_strerror(handle))
            : String(cString: mpg123_plain_strerror(status))
        throw AudioIOError.decodeFailed(path: path, decoder: "libmpg123", reason: message)
    }
}
