/// The mixing desk: stems in, a stereo (or mono) master out.

/// Where a stem sits in the mix.
struct MixSettings {
    /// Fader, in decibels.
    var level: Double
    /// -1 (left) ... 1 (right).
    var pan = 0.0
    /// Haas widening: the right channel hears the stem this many seconds late (0: none).
    /// Pads and double-tracked guitars get 10-25 ms.
    var width = 0.0
    /// Reverb send, 0...1.
    var send = 0.2
    /// Whether the kick ducks this stem (sidechain pumping).
    var pumped = false
}

/// Sums stems into the master bus and a reverb send, then masters the result.
struct Mixer {
    let sampleRate: Double
    /// Clip time of sample 0 (the pre-roll is negative time).
    let origin: Double
    private(set) var channels: [[Float]]
    private var send: [Float]
    /// Sidechain: ducking depth and the beat it follows.
    let pumpDepth: Double
    let beatSeconds: Double
    let beatOrigin: Double

    init(channelCount: Int, count: Int, sampleRate: Double, origin: Double, pumpDepth: Double,
         beatSeconds: Double, beatOrigin: Double) {
        self.sampleRate = sampleRate
        self.origin = origin
        channels = [[Float]](repeating: [Float](repeating: 0, count: count), count: channelCount)
        send = [Float](repeating: 0, count: count)
        self.pumpDepth = pumpDepth
        self.beatSeconds = beatSeconds
        self.beatOrigin = beatOrigin
    }

    /// Mixes `stem` in with `settings`, then clears it for the next stem.
    mutating func add(_ stem: UnsafeMutableBufferPointer<Float>, _ settings: MixSettings) {
        let level = PortableMath.amplitude(decibels: settings.level)
        // Equal-power pan, scaled so that a centred stem keeps its level in both channels.
        let angle = (min(max(settings.pan, -1), 1) + 1) * Double.pi / 4
        let gains = channels.count == 1
            ? [Float(level)]
            : [Float(level * PortableMath.cos(angle) * 2.0.squareRoot()), Float(level * PortableMath.sin(angle) * 2.0.squareRoot())]
        let count = stem.count
        if settings.pumped && pumpDepth > 0 { applyPump(stem) }
        let sendGain = Float(level * settings.send)
        send.withUnsafeMutableBufferPointer { send in
            channels[0].withUnsafeMutableBufferPointer { left in
                let gain = gains[0]
                for i in 0..<count {
                    left[i] += stem[i] * gain
                    send[i] += stem[i] * sendGain
                }
            }
        }
        if channels.count == 2 {
            let lag = min(Int((settings.width * sampleRate).rounded()), count)
            let gain = gains[1]
            channels[1].withUnsafeMutableBufferPointer { right in
                for i in lag..<count { right[i] += stem[i - lag] * gain }
            }
        }
        stem.update(repeating: 0)
    }

    /// Ducks the stem on every beat and lets it swell back, as a compressor keyed by the kick.
    private func applyPump(_ stem: UnsafeMutableBufferPointer<Float>) {
        let step = 1 / (beatSeconds * sampleRate)
        var phase = wrapPhase((origin - beatOrigin) / beatSeconds)
        let depth = Float(pumpDepth)
        for i in 0..<stem.count {
            let recovery = Float(min(phase / 0.55, 1))
            let duck = 1 - recovery
            stem[i] *= 1 - depth * duck * duck
            phase += step
            if phase >= 1 { phase -= 1 }
        }
    }

    /// Reverb, noise floor, glue compression and saturation, level automation, and peak
    /// normalisation; drops the first `preroll` samples.
    mutating func master(reverb: Reverb, reverbLevel: Double, noiseFloor: Double, density: Double,
                         automation: LevelAutomation, peak: Double, preroll: Int, seed: UInt32) -> [[Float]] {
        let sampleRate = sampleRate
        let wet = Float(reverbLevel * 0.15)
        let send = send
        send.withUnsafeBufferPointer { send in
            withOutputs { outputs in reverb.process(send, into: outputs, wet: wet, sampleRate: sampleRate) }
        }
        addNoiseFloor(decibels: noiseFloor, seed: seed)
        if density > 0 { compress(density: density) }
        automation.apply(to: &channels, sampleRate: sampleRate, origin: origin)
        var result = channels.map { Array($0[min(preroll, $0.count)...]) }
        let loudest = result.reduce(Float(0)) { current, channel in channel.reduce(current) { max($0, abs($1)) } }
        if loudest > 0 && loudest.isFinite {
            let scale = Float(peak) / loudest
            for c in result.indices {
                result[c].withUnsafeMutableBufferPointer { out in
                    for i in 0..<out.count { out[i] *= scale }
                }
            }
        }
        return result
    }

    /// Runs `body` with every channel as a raw buffer.
    private mutating func withOutputs(_ body: ([UnsafeMutableBufferPointer<Float>]) -> Void) {
        if channels.count == 1 {
            channels[0].withUnsafeMutableBufferPointer { body([$0]) }
        } else {
            channels.withUnsafeMutableBufferPointer { channels in
                channels[0].withUnsafeMutableBufferPointer { left in
                    channels[1].withUnsafeMutableBufferPointer { right in body([left, right]) }
                }
            }
        }
    }

    /// Tape hiss: one second of low-passed noise, looped from a different point per channel.
    private mutating func addNoiseFloor(decibels: Double, seed: UInt32) {
        let sampleRate = sampleRate
        var noise = NoiseSource(seed: seed, sampleRate: sampleRate)
        var tone = OnePole(hertz: 7000, sampleRate: sampleRate)
        let level = Float(PortableMath.amplitude(decibels: decibels))
        let hiss = (0..<Int(sampleRate)).map { _ in tone.lowpass(noise.next()) * level }
        hiss.withUnsafeBufferPointer { hiss in
            withOutputs { outputs in
                for (c, out) in outputs.enumerated() {
                    var read = c * hiss.count / 2
                    for i in 0..<out.count {
                        out[i] += hiss[read]
                        read += 1
                        if read == hiss.count { read = 0 }
                    }
                }
            }
        }
    }

    /// Bus compression and soft saturation: the denser the genre, the harder. The bus is
    /// first brought to a fixed RMS so the threshold means the same for every clip.
    ///
    /// The level detector runs once per block of about a millisecond, on the block's peak;
    /// the gain glides linearly across each block.
    private mutating func compress(density: Double) {
        let sampleRate = sampleRate
        let count = channels[0].count
        var power = 0.0
        for channel in channels { for x in channel { power += Double(x * x) } }
        let rms = (power / Double(max(count * channels.count, 1))).squareRoot()
        guard rms > 0, rms.isFinite else { return }
        let scale = Float(0.2 / rms)
        let threshold: Float = 0.3
        let block = max(1, Int((0.001 * sampleRate).rounded()))
        let blockSeconds = Double(block) / sampleRate
        let attack = Float(1 - PortableMath.exp(-blockSeconds / 0.01))
        let release = Float(1 - PortableMath.exp(-blockSeconds / 0.25))
        // Gain (threshold / level)^(1 - 1/ratio): ratio 2 is a square root, ratio 4 a 3/4 power.
        let heavy = density > 0.5
        let drive = Float(1 + 2.5 * max(density - 0.5, 0))
        let driveNorm = 1 / softClip(drive)
        withOutputs { outputs in
            var follower: Float = 0
            var previousGain: Float = 1
            var first = 0
            while first < count {
                let end = min(first + block, count)
                var peak: Float = 0
                for out in outputs {
                    for i in first..<end { peak = max(peak, abs(out[i])) }
                }
                peak *= scale
                follower += (peak > follower ? attack : release) * (peak - follower)
                var gain: Float = 1
                if follower > threshold {
                    let root = (threshold / follower).squareRoot()
                    gain = heavy ? root * root.squareRoot() : root
                }
                let step = (gain - previousGain) / Float(end - first)
                for out in outputs {
                    var g = previousGain * scale * drive
                    let gStep = step * scale * drive
                    for i in first..<end {
                        g += gStep
                        out[i] = softClip(out[i] * g) * driveNorm
                    }
                }
                previousGain = gain
                first = end
            }
        }
    }
}

/// Slow level changes and sudden silences over a clip (experimental dynamics).
struct LevelAutomation {
    /// Breakpoints in clip time and level in dB; the gain moves linearly between them.
    var points: [(time: Double, decibels: Double)] = []
    /// Intervals of clip time that fall (nearly) silent, with 10 ms fades.
    var silences: [ClosedRange<Double>] = []

    func apply(to channels: inout [[Float]], sampleRate: Double, origin: Double) {
        guard !points.isEmpty || !silences.isEmpty else { return }
        let count = channels[0].count
        var gains = [Float](repeating: 1, count: count)
        if points.count >= 2 {
            // Linear ramps between breakpoints: a constant step per sample within a segment.
            let amplitudes = points.map { PortableMath.amplitude(decibels: $0.decibels) }
            gains.withUnsafeMutableBufferPointer { gains in
                for segment in 0..<(points.count - 1) {
                    let from = max(0, Int(((points[segment].time - origin) * sampleRate).rounded()))
                    let to = segment == points.count - 2
                        ? count : min(count, Int(((points[segment + 1].time - origin) * sampleRate).rounded()))
                    guard from < to else { continue }
                    let span = (points[segment + 1].time - points[segment].time) * sampleRate
                    let step = (amplitudes[segment + 1] - amplitudes[segment]) / max(span, 1)
                    var gain = amplitudes[segment] + step * (Double(from) - (points[segment].time - origin) * sampleRate)
                    for i in from..<to {
                        gains[i] = Float(gain)
                        gain += step
                    }
                }
            }
        }
        let fade = 0.01
        for silence in silences {
            let from = max(0, Int(((silence.lowerBound - fade - origin) * sampleRate).rounded()))
            let to = min(count, Int(((silence.upperBound + fade - origin) * sampleRate).rounded()))
            guard from < to else { continue }
            for i in from..<to {
                let t = origin + Double(i) / sampleRate
                // Distance into the silence, in fade lengths: 0 at its edges, 1 inside.
                let inside = min(t - (silence.lowerBound - fade), silence.upperBound + fade - t) / fade
                let duck = Float(min(max(inside, 0), 1))
                gains[i] *= 1 - duck * 0.997
            }
        }
        for c in channels.indices {
            channels[c].withUnsafeMutableBufferPointer { out in
                for i in 0..<count { out[i] *= gains[i] }
            }
        }
    }
}
