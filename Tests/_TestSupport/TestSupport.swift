import AudioIO
import Foundation

/// Signals and measurements shared by the test targets.
public enum TestSignal {
    /// A sine of `frequency` Hz and peak `amplitude`, `seconds` long.
    public static func sine(frequency: Double, sampleRate: Int, seconds: Double, amplitude: Float = 0.5) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        return (0..<count).map { amplitude * Float(sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate))) }
    }

    /// The frequency of a clean tone from its upward zero crossings, interpolated between
    /// samples: accurate to a small fraction of a percent over a second or more.
    public static func dominantFrequency(_ samples: [Float], sampleRate: Int) -> Double {
        var crossings: [Double] = []
        for i in 1..<samples.count where samples[i - 1] < 0 && samples[i] >= 0 {
            let fraction = Double(-samples[i - 1] / (samples[i] - samples[i - 1]))
            crossings.append(Double(i - 1) + fraction)
        }
        guard crossings.count >= 2 else { return 0 }
        return Double(crossings.count - 1) * Double(sampleRate) / (crossings.last! - crossings.first!)
    }

    public static func rms(_ samples: ArraySlice<Float>) -> Double {
        (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(samples.count, 1))).squareRoot()
    }

    /// Signal-to-noise ratio in dB of `test` against `reference`, after finding the lag (up to
    /// `maxLag` samples in either direction) that best aligns them: MP3 encoders add delay.
    public static func alignedSNR(reference: [Float], test: [Float], maxLag: Int = 3000) -> (snr: Double, lag: Int) {
        let span = min(reference.count, test.count) - 2 * maxLag
        precondition(span > 0, "signals too short for a lag search of \(maxLag)")
        var best = (correlation: -Double.infinity, lag: 0)
        for lag in -maxLag...maxLag {
            var c = 0.0
            for i in stride(from: maxLag, to: maxLag + span, by: 4) { c += Double(reference[i]) * Double(test[i + lag]) }
            if c > best.correlation { best = (c, lag) }
        }
        var signal = 0.0, noise = 0.0
        for i in maxLag..<(maxLag + span) {
            let r = Double(reference[i]), e = Double(test[i + best.lag]) - r
            signal += r * r
            noise += e * e
        }
        return (10 * log10(signal / max(noise, 1e-30)), best.lag)
    }
}

extension TestSignal {
    /// The bytes of a stereo MP3 of a tone (LAME through libsndfile), written via `url`.
    public static func mp3Tone(frequency: Double, seconds: Double, sampleRate: Int = 44100, at url: URL) throws -> [UInt8] {
        let tone = sine(frequency: frequency, sampleRate: sampleRate, seconds: seconds)
        try SoundFile.writeMP3(Audio(channels: [tone, tone], sampleRate: sampleRate), to: url)
        return [UInt8](try Data(contentsOf: url))
    }
}

/// A fresh temporary folder, removed when the value is deinitialized.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL

    public init(_ name: String = "genre-lab-test") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}
