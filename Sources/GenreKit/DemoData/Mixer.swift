/// The mixing desk: stems in, a stereo (or mono) master out.
///
/// A clip's buffers are a million samples or more, far larger than the processor's caches, so
/// the desk touches each as few times as it can: a stem is panned, sent and cleared in two
/// passes, and mastering reads the bus twice and writes the result once.

/// Where a stem sits in the mix.
struct MixSettings {
    /// Fader, in decibels.
    var level: Double
    /// -1 (left) ... 1 (right).
    var pan = 0.0
    /// Stereo width: the delay, in seconds, of a copy of the stem added to the left channel
    /// and taken from the right (0: none). Pads and double-tracked guitars get 10-25 ms.
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

    /// Mixes `stem` in with `settings`, and clears it for the next stem.
    mutating func add(_ stem: UnsafeMutableBufferPointer<Float>, _ settings: MixSettings) {
        let level = PortableMath.amplitude(decibels: settings.level)
        // Equal-power pan, scaled so that a centred stem keeps its level in both channels.
        let angle = (min(max(settings.pan, -1), 1) + 1) * Double.pi / 4
        let stereo = channels.count == 2
        let leftGain = Float(stereo ? level * PortableMath.cos(angle) * 2.0.squareRoot() : level)
        let rightGain = Float(level * PortableMath.sin(angle) * 2.0.squareRoot())
        let sendGain = Float(level * settings.send)
        let count = stem.count
        let pump = settings.pumped && pumpDepth > 0
        if pump {
            // The kick ducks the stem on every beat and it swells back: a compressor keyed by
            // the kick, as on a thousand house records.
            var phase = wrapPhase((origin - beatOrigin) / beatSeconds)
            let step = 1 / (beatSeconds * sampleRate)
            let depth = Float(pumpDepth)
            for i in 0..<count {
                let duck = 1 - Float(min(phase / 0.55, 1))
                stem[i] *= 1 - depth * duck * duck
                phase += step
                if phase >= 1 { phase -= 1 }
            }
        }
        if !stereo {
            send.withUnsafeMutableBufferPointer { send in
                channels[0].withUnsafeMutableBufferPointer { out in
                    for i in 0..<count {
                        out[i] += stem[i] * leftGain
                        send[i] += stem[i] * sendGain
                    }
                }
            }
            stem.update(repeating: 0)
            return
        }
        let lag = min(Int((settings.width * sampleRate).rounded()), count)
        // Widening in mid/side form: a delayed copy is the side signal, +0.4 on the left and
        // -0.4 on the right. Unlike a plain Haas delay on one side, this leaves the sum of a
        // centred stem's channels untouched, and left and right positively correlated even for
        // a pure low tone.
        let side: Float = lag > 0 ? 0.4 : 0
        send.withUnsafeMutableBufferPointer { send in
            channels.withUnsafeMutableBufferPointer { channels in
                channels[0].withUnsafeMutableBufferPointer { left in
                    channels[1].withUnsafeMutableBufferPointer { right in
                        // Two branch-free loops (before and after the delay has filled) vectorise.
                        for i in 0..<lag {
                            let x = stem[i]
                            left[i] += x * leftGain
                            right[i] += x * rightGain
                            send[i] += x * sendGain
                        }
                        for i in lag..<count {
                            let x = stem[i]
                            let delayed = side * stem[i - lag]
                            left[i] += (x + delayed) * leftGain
                            right[i] += (x - delayed) * rightGain
                            send[i] += x * sendGain
                        }
                    }
                }
            }
        }
        stem.update(repeating: 0)
    }

    /// Reverb, glue compression and saturation, level automation, peak normalisation and the
    /// noise floor; drops the first `preroll` samples.
    ///
    /// The hiss is added after normalising, at its level below the peak: normalising it with
    /// the music would turn a clip whose band happens to rest into full-scale hiss.
    mutating func master(reverb: Reverb, reverbLevel: Double, noiseFloor: Double, density: Double,
                         automation: LevelAutomation, peak: Double, preroll: Int, seed: UInt32) -> [[Float]] {
        let sampleRate = sampleRate
        let wet = Float(reverbLevel * 0.15)
        let send = send
        send.withUnsafeBufferPointer { send in
            withOutputs { outputs in reverb.process(send, into: outputs, wet: wet, sampleRate: sampleRate) }
        }
        let loudest = dynamics(density: density, automation: automation, preroll: preroll)
        let hiss = self.hiss(level: Float(peak * PortableMath.amplitude(decibels: noiseFloor)), seed: seed)
        let hissPeak = hiss.reduce(Float(0)) { max($0, abs($1)) }
        let scale = loudest > 0 && loudest.isFinite ? (Float(peak) - hissPeak) / loudest : 0
        let frames = max(channels[0].count - preroll, 0)
        return hiss.withUnsafeBufferPointer { hiss in
            channels.enumerated().map { c, channel in
                channel.withUnsafeBufferPointer { channel in
                    // Each channel loops the hiss from a different point.
                    var read = c * hiss.count / 2
                    return [Float](unsafeUninitializedCapacity: frames) { out, initialized in
                        for i in 0..<frames {
                            out[i] = channel[preroll + i] * scale + hiss[read]
                            read += 1
                            if read == hiss.count { read = 0 }
                        }
                        initialized = frames
                    }
                }
            }
        }
    }

    /// Runs `body` with every channel as a raw buffer.
    private mutating func withOutputs<R>(_ body: ([UnsafeMutableBufferPointer<Float>]) -> R) -> R {
        if channels.count == 1 {
            return channels[0].withUnsafeMutableBufferPointer { body([$0]) }
        }
        return channels.withUnsafeMutableBufferPointer { channels in
            channels[0].withUnsafeMutableBufferPointer { left in
                channels[1].withUnsafeMutableBufferPointer { right in body([left, right]) }
            }
        }
    }

    /// Tape hiss: one second of low-passed noise at `level`, to be looped.
    private func hiss(level: Float, seed: UInt32) -> [Float] {
        var noise = NoiseSource(seed: seed, sampleRate: sampleRate)
        var tone = OnePole(hertz: 7000, sampleRate: sampleRate)
        return (0..<Int(sampleRate)).map { _ in tone.lowpass(noise.next()) * level }
    }

    /// Bus compression, saturation and level automation, in place; returns the peak after the
    /// pre-roll.
    ///
    /// The bus is first brought to a fixed RMS so that the threshold means the same for every
    /// clip; the denser the genre, the higher the ratio and the drive into the soft clipper.
    /// Levels are measured once per block of a millisecond, and gains glide linearly across
    /// each block: per-sample detection would cost a recursion per sample, for nothing audible.
    private mutating func dynamics(density: Double, automation: LevelAutomation, preroll: Int) -> Float {
        let sampleRate = sampleRate
        let origin = origin
        let count = channels[0].count
        let block = max(1, Int((0.001 * sampleRate).rounded()))
        let blocks = (count + block - 1) / block
        let blockSeconds = Double(block) / sampleRate
        return withOutputs { outputs in
            // Pass 1: each block's peak and energy.
            var peaks = [Float](repeating: 0, count: blocks)
            var energy = 0.0
            for b in 0..<blocks {
                var blockPeak: Float = 0
                var blockEnergy: Float = 0
                for out in outputs {
                    for i in (b * block)..<min((b + 1) * block, count) {
                        let x = out[i]
                        blockPeak = max(blockPeak, abs(x))
                        blockEnergy += x * x
                    }
                }
                peaks[b] = blockPeak
                energy += Double(blockEnergy)
            }
            let rms = (energy / Double(max(count * outputs.count, 1))).squareRoot()
            let scale = rms > 0 && rms.isFinite ? Float(0.2 / rms) : 1
            // Gain (threshold / level)^(1 - 1/ratio): ratio 2 is a square root, ratio 4 a 3/4 power.
            let threshold: Float = 0.3
            let heavy = density > 0.5
            let attack = Float(1 - PortableMath.exp(-blockSeconds / 0.01))
            let release = Float(1 - PortableMath.exp(-blockSeconds / 0.25))
            var follower: Float = 0
            let gains = (0..<blocks).map { b -> Float in
                let level = peaks[b] * scale
                follower += (level > follower ? attack : release) * (level - follower)
                var gain = scale
                if density > 0 && follower > threshold {
                    let root = (threshold / follower).squareRoot()
                    gain *= heavy ? root * root.squareRoot() : root
                }
                return gain * Float(automation.gain(at: origin + Double(b * block) / sampleRate))
            }
            // Pass 2: apply, through the soft clipper when the genre drives the bus.
            let drive = Float(1 + 2.5 * max(density - 0.5, 0))
            let driveNorm = 1 / softClip(drive)
            var loudest: Float = 0
            for out in outputs {
                var previous = gains[0]
                for b in 0..<blocks {
                    let first = b * block, end = min(first + block, count)
                    let step = (gains[b] - previous) / Float(end - first)
                    var gain = previous
                    for i in first..<end {
                        gain += step
                        let y = drive > 1 ? softClip(out[i] * gain * drive) * driveNorm : out[i] * gain
                        out[i] = y
                        if i >= preroll { loudest = max(loudest, abs(y)) }
                    }
                    previous = gains[b]
                }
            }
            return loudest
        }
    }
}

/// Slow level changes and sudden silences over a clip (experimental dynamics).
struct LevelAutomation {
    /// Breakpoints in clip time and level in dB; the gain moves linearly between them.
    var points: [(time: Double, decibels: Double)] = []
    /// Intervals of clip time that fall (nearly) silent, with 10 ms fades.
    var silences: [ClosedRange<Double>] = []

    /// The gain at clip time `time`.
    func gain(at time: Double) -> Double {
        var gain = 1.0
        if let next = points.firstIndex(where: { $0.time > time }) {
            if next > 0 {
                let a = points[next - 1], b = points[next]
                let x = (time - a.time) / (b.time - a.time)
                let from = PortableMath.amplitude(decibels: a.decibels), to = PortableMath.amplitude(decibels: b.decibels)
                gain = from + x * (to - from)
            } else {
                gain = PortableMath.amplitude(decibels: points[0].decibels)
            }
        } else if let last = points.last {
            gain = PortableMath.amplitude(decibels: last.decibels)
        }
        let fade = 0.01
        for silence in silences {
            // Distance into the silence, in fade lengths: 0 at its edges, 1 inside.
            let inside = min(time - (silence.lowerBound - fade), silence.upperBound + fade - time) / fade
            gain *= 1 - min(max(inside, 0), 1) * 0.997
        }
        return gain
    }
}
