import AudioIO
import Foundation

/// A decoded song shared by every predictor: mono audio, resampled on demand to each model's
/// rate, cut into windows, with a cache for derived inputs (the 518 features of each window
/// serve all four classical models), so that nothing is computed twice.
///
/// Not `Sendable`: one song is analysed on one thread.
public final class SongAnalysis {
    /// The file, for messages.
    public let name: String
    /// Mono, at the file's own rate.
    public let audio: Audio
    private var resampled: [Int: [Float]] = [:]
    private var cache: [String: Any] = [:]

    /// Decodes any format the pipeline reads (MP3, WAV, FLAC, Ogg, AIFF, AU) and mixes to mono.
    public convenience init(contentsOf url: URL, decoder: AudioDecoder) throws {
        try self.init(audio: decoder.decode(contentsOf: url), name: url.path)
    }

    public init(audio: Audio, name: String) {
        self.audio = audio.mixedToMono()
        self.name = name
    }

    /// Seconds of audio.
    public var seconds: Double { Double(audio.frameCount) / Double(audio.sampleRate) }

    /// The mono samples at `rate` Hz (libsoxr, as step 02 resamples), computed once per rate.
    public func samples(at rate: Int) throws -> [Float] {
        if rate == audio.sampleRate { return audio.channels[0] }
        if let done = resampled[rate] { return done }
        let samples = try Resampler.resample(audio.channels[0], from: audio.sampleRate, to: rate)
        resampled[rate] = samples
        return samples
    }

    /// The song cut into windows of `length` samples at `rate`: back to back from the start
    /// when at most `maxCount` fit, otherwise `maxCount` spread evenly over the song; a song
    /// shorter than one window is one window of all it has.
    public func windows(at rate: Int, length: Int, maxCount: Int = 12) throws -> [ArraySlice<Float>] {
        let samples = try samples(at: rate)
        return Self.windowStarts(count: samples.count, length: length, maxCount: maxCount).map {
            samples[$0..<min(samples.count, $0 + length)]
        }
    }

    /// Where each window starts (see `windows`).
    public static func windowStarts(count: Int, length: Int, maxCount: Int) -> [Int] {
        precondition(length > 0 && maxCount > 0, "window length \(length), at most \(maxCount) windows")
        let fitting = count / length
        guard fitting > 1 else { return [0] }
        guard fitting > maxCount else { return (0..<fitting).map { $0 * length } }
        let span = count - length
        return (0..<maxCount).map { span * $0 / (maxCount - 1) }
    }

    /// A value derived from the song, computed once under `key` and shared by the predictors.
    public func cached<T>(_ key: String, _ make: () throws -> T) rethrows -> T {
        if let value = cache[key] as? T { return value }
        let value = try make()
        cache[key] = value
        return value
    }
}
