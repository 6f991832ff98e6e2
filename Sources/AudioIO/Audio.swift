/// A block of audio in memory: planar float samples, one array per channel, in [-1, 1].
///
/// Planar rather than interleaved because every consumer in this project works on
/// one channel at a time (mixing down, resampling, framing for an STFT).
public struct Audio: Sendable, Equatable {
    /// One array of samples per channel, all of the same length.
    public var channels: [[Float]]
    /// Samples per second (librosa: `sr`).
    public var sampleRate: Int

    public init(channels: [[Float]], sampleRate: Int) {
        precondition(!channels.isEmpty, "Audio needs at least one channel")
        precondition(channels.allSatisfy { $0.count == channels[0].count },
                     "Audio channels differ in length: \(channels.map(\.count))")
        precondition(sampleRate > 0, "Audio sample rate must be positive, got \(sampleRate)")
        self.channels = channels
        self.sampleRate = sampleRate
    }

    /// A mono signal.
    public init(mono samples: [Float], sampleRate: Int) {
        self.init(channels: [samples], sampleRate: sampleRate)
    }

    public var channelCount: Int { channels.count }
    /// Samples per channel (frames, in libsndfile's words).
    public var frameCount: Int { channels[0].count }
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// The channels averaged into one, as librosa's `to_mono` and `mpg123 -m` do.
    public func mixedToMono() -> Audio {
        guard channelCount > 1 else { return self }
        let scale = 1 / Float(channelCount)
        var mono = [Float](repeating: 0, count: frameCount)
        for channel in channels {
            for i in 0..<frameCount { mono[i] += channel[i] }
        }
        for i in 0..<frameCount { mono[i] *= scale }
        return Audio(mono: mono, sampleRate: sampleRate)
    }

    /// Interleaves the channels (L R L R ...), the layout C libraries expect.
    public func interleaved() -> [Float] {
        if channelCount == 1 { return channels[0] }
        var out = [Float](repeating: 0, count: frameCount * channelCount)
        for (c, channel) in channels.enumerated() {
            for i in 0..<frameCount { out[i * channelCount + c] = channel[i] }
        }
        return out
    }

    /// Splits interleaved samples into planar channels.
    public init(interleaved samples: [Float], channelCount: Int, sampleRate: Int) {
        precondition(channelCount > 0 && samples.count % channelCount == 0,
                     "\(samples.count) interleaved samples do not divide into \(channelCount) channels")
        if channelCount == 1 {
            self.init(mono: samples, sampleRate: sampleRate)
            return
        }
        let frames = samples.count / channelCount
        var planar = [[Float]](repeating: [Float](repeating: 0, count: frames), count: channelCount)
        for c in 0..<channelCount {
            for i in 0..<frames { planar[c][i] = samples[i * channelCount + c] }
        }
        self.init(channels: planar, sampleRate: sampleRate)
    }
}
