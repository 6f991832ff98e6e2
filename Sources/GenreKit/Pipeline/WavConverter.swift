import AudioIO
import Foundation

/// Turns one audio file into the pipeline's WAV: decoded by content, mixed down to mono,
/// resampled with libsoxr, written as 16-bit PCM under a temporary name and renamed.
///
/// It never throws for bad input: a file that cannot be decoded comes back as a `broken`
/// manifest entry with its reason, so that one corrupt MP3 costs one track, not the run.
public struct WavConverter {
    public var sampleRate: Int
    public var minSeconds: Double
    private let decoder: AudioDecoder

    /// Makes a converter with its own decoder: one per thread.
    public init(sampleRate: Int, minSeconds: Double) throws {
        self.sampleRate = sampleRate
        self.minSeconds = minSeconds
        decoder = try AudioDecoder()
    }

    /// Converts `source` to `destination` and says what happened.
    public func convert(trackID: Int, source: URL, destination: URL) -> ManifestEntry {
        var entry = ManifestEntry(trackID: trackID, source: source.path, status: .broken, seconds: 0,
                                  sourceSampleRate: 0, sourceChannels: 0, reason: "")
        do {
            let decoded = try decoder.decode(contentsOf: source)
            entry.sourceSampleRate = decoded.sampleRate
            entry.sourceChannels = decoded.channelCount
            let audio = try Resampler.resample(decoded.mixedToMono(), to: sampleRate)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try AtomicFile.write(to: destination) { try SoundFile.writeWAV(audio, to: $0) }
            entry.seconds = audio.duration
            if audio.duration < minSeconds {
                entry.status = .short
                entry.reason = String(format: "%.2f s, under the %.1f s minimum", audio.duration, minSeconds)
            } else {
                entry.status = .ok
            }
        } catch let error as AudioIOError {
            entry.reason = error.description
        } catch {
            entry.reason = "\(error)"
        }
        return entry
    }
}
