import Foundation

/// Decodes any audio file the pipeline accepts, choosing the decoder by content.
///
/// MPEG goes to libmpg123; WAV, FLAC, Ogg Vorbis, AIFF and AU go to libsndfile. A file
/// whose first bytes match nothing (an MP3 behind junk, a headerless stream) is offered
/// to mpg123, which resyncs to the first valid frame, and then to libsndfile.
///
/// Holds one mpg123 handle, so make one decoder per thread.
public final class AudioDecoder {
    private let mpeg: MPEGDecoder

    public init() throws { mpeg = try MPEGDecoder() }

    /// Decodes `url` at its own sample rate and channel count.
    public func decode(contentsOf url: URL) throws -> Audio {
        try decode(readBytes(of: url), path: url.path)
    }

    /// Decodes an in-memory file; `path` only names it in errors.
    public func decode(_ bytes: [UInt8], path: String) throws -> Audio {
        guard !bytes.isEmpty else { throw AudioIOError.empty(path: path) }
        switch AudioContainer(sniffing: bytes) {
        case .mp3:
            return try mpeg.decode(bytes, path: path)
        case .wav, .flac, .ogg, .aiff, .au:
            return try SoundFile.decode(bytes, path: path)
        case .unknown:
            if let audio = try? mpeg.decode(bytes, path: path) { return audio }
            if let audio = try? SoundFile.decode(bytes, path: path) { return audio }
            let head = bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw AudioIOError.unrecognized(path: path, firstBytes: head)
        }
    }
}
