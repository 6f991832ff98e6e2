import CSndfile
import Foundation

/// Reads and writes audio files with libsndfile: WAV, FLAC, Ogg Vorbis, AIFF, AU, and
/// MP3 encoding through LAME (libsndfile 1.1 and later).
public enum SoundFile {
    /// Reads a file of any format libsndfile reads (WAV, FLAC, Ogg, AIFF, AU).
    public static func read(contentsOf url: URL) throws -> Audio {
        try decode(readBytes(of: url), path: url.path)
    }

    /// Decodes an in-memory file of any format libsndfile reads.
    public static func decode(_ bytes: [UInt8], path: String) throws -> Audio {
        var info = SF_INFO()
        var source = MemorySource(bytes: bytes)
        return try withUnsafeMutablePointer(to: &source) { sourcePointer in
            var io = MemorySource.virtualIO
            guard let file = sf_open_virtual(&io, Int32(SFM_READ), &info, sourcePointer) else {
                throw AudioIOError.decodeFailed(
                    path: path, decoder: "libsndfile", reason: String(cString: sf_strerror(nil)))
            }
            defer { sf_close(file) }
            let channelCount = Int(info.channels)
            guard info.frames > 0, channelCount > 0 else {
                throw AudioIOError.noAudio(path: path, decoder: "libsndfile")
            }
            var samples = [Float](repeating: 0, count: Int(info.frames) * channelCount)
            let read = samples.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, info.frames) }
            guard read > 0 else { throw AudioIOError.noAudio(path: path, decoder: "libsndfile") }
            samples.removeLast(samples.count - Int(read) * channelCount)
            return Audio(interleaved: samples, channelCount: channelCount, sampleRate: Int(info.samplerate))
        }
    }

    /// How an MPEG layer III file is encoded.
    public struct MP3Options: Sendable {
        public enum BitrateMode: Sendable { case constant, variable }
        public var bitrateMode: BitrateMode
        /// libsndfile's compression level in [0, 1]: 0 is the highest bitrate (320 kbit/s CBR),
        /// 1 the lowest.
        public var compressionLevel: Double
        public init(bitrateMode: BitrateMode = .constant, compressionLevel: Double = 0.3) {
            self.bitrateMode = bitrateMode
            self.compressionLevel = compressionLevel
        }
    }

    /// Writes 16-bit PCM WAV, the format `tf.audio.decode_wav` reads.
    /// Samples outside [-1, 1] are clipped, not wrapped.
    public static func writeWAV(_ audio: Audio, to url: URL) throws {
        try write(audio, to: url, format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)) { _ in }
    }

    /// Encodes MP3 through libsndfile's MPEG writer (LAME).
    public static func writeMP3(_ audio: Audio, to url: URL, options: MP3Options = .init()) throws {
        let format = Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
        try write(audio, to: url, format: format) { file in
            var mode = Int32(options.bitrateMode == .constant
                             ? SF_BITRATE_MODE_CONSTANT : SF_BITRATE_MODE_VARIABLE)
            var level = options.compressionLevel
            // Both must be set before the first sample is written.
            sf_command(file, Int32(SFC_SET_BITRATE_MODE), &mode, Int32(MemoryLayout<Int32>.size))
            sf_command(file, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        }
    }

    private static func write(_ audio: Audio, to url: URL, format: Int32,
                              configure: (OpaquePointer) -> Void) throws {
        var info = SF_INFO()
        info.samplerate = Int32(audio.sampleRate)
        info.channels = Int32(audio.channelCount)
        info.format = format
        guard sf_format_check(&info) != 0 else {
            throw AudioIOError.writeFailed(
                path: url.path, reason: "libsndfile cannot write \(audio.channelCount) channels at \(audio.sampleRate) Hz in format 0x\(String(format, radix: 16))")
        }
        guard let file = sf_open(url.path, Int32(SFM_WRITE), &info) else {
            throw AudioIOError.writeFailed(path: url.path, reason: String(cString: sf_strerror(nil)))
        }
        // This command takes its flag in the size argument.
        sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        configure(file)
        let samples = audio.interleaved()
        let written = samples.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(audio.frameCount)) }
        let error = written == audio.frameCount ? nil : String(cString: sf_strerror(file))
        guard sf_close(file) == 0, error == nil else {
            throw AudioIOError.writeFailed(path: url.path, reason: error ?? "libsndfile could not finish the file")
        }
    }
}

/// A read-only, seekable view of bytes in memory for `sf_open_virtual`.
private struct MemorySource {
    let bytes: [UInt8]
    var position = 0

    static var virtualIO: SF_VIRTUAL_IO {
        SF_VIRTUAL_IO(
            get_filelen: { user in sf_count_t(source(user).pointee.bytes.count) },
            seek: { offset, whence, user in
                let s = source(user)
                let base: Int = switch whence {
                case SEEK_CUR: s.pointee.position
                case SEEK_END: s.pointee.bytes.count
                default: 0
                }
                s.pointee.position = min(max(0, base + Int(offset)), s.pointee.bytes.count)
                return sf_count_t(s.pointee.position)
            },
            read: { destination, count, user in
                let s = source(user)
                let n = min(Int(count), s.pointee.bytes.count - s.pointee.position)
                guard n > 0, let destination else { return 0 }
                s.pointee.bytes.withUnsafeBytes { all in
                    destination.copyMemory(from: all.baseAddress! + s.pointee.position, byteCount: n)
                }
                s.pointee.position += n
                return sf_count_t(n)
            },
            write: { _, _, _ in 0 },
            tell: { user in sf_count_t(source(user).pointee.position) })
    }
}

/// The `MemorySource` behind libsndfile's user pointer (a free function: C callbacks capture nothing).
private func source(_ user: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<MemorySource> {
    user!.assumingMemoryBound(to: MemorySource.self)
}
