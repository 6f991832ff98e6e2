/// Small signal-processing building blocks shared by the demo instruments.
///
/// All of them are value types with their state inline, so that the compiler keeps them in
/// registers inside the per-sample loops. Coefficients are set from seconds and hertz, never
/// from sample counts, so that a clip sounds the same at every sample rate.

/// A mono track being rendered: a sample buffer whose index 0 sits at clip time `origin`.
///
/// `origin` is negative: the buffer starts with a pre-roll, so that pads, drones and the
/// reverb are already sounding when the clip begins, as in a clip cut from a longer track.
struct Canvas {
    let samples: UnsafeMutableBufferPointer<Float>
    let sampleRate: Double
    let origin: Double

    /// The samples of an event starting at clip time `time` and lasting `seconds`, cut to the
    /// buffer: its first index and its length, or nil if none of it falls inside.
    func span(at time: Double, seconds: Double) -> (start: Int, count: Int)? {
        span(at: time, length: Int((seconds * sampleRate).rounded(.up)))
    }

    /// The same for an event `length` samples long (a recorded take).
    func span(at time: Double, length: Int) -> (start: Int, count: Int)? {
        let start = Int(((time - origin) * sampleRate).rounded())
        guard start >= 0, start < samples.count else { return nil }
        let count = min(length, samples.count - start)
        return count > 0 ? (start, count) : nil
    }
}

/// White noise from xorshift32: three shifts per sample, seeded per note so that the clip's
/// main generator is never called in an inner loop.
struct NoiseSource {
    private var state: UInt32
    private let scale: Float

    /// Uniform draws in [-1, 1), for chance and choice.
    init(seed: UInt32) {
        state = seed == 0 ? 0x9E37_79B9 : seed
        scale = 1 / 2_147_483_648
    }

    /// Audio noise with the same power per hertz at every sample rate: at 22.05 kHz the same
    /// noise as at 44.1 kHz, only without the octave above 11 kHz. (Noise of a fixed amplitude
    /// spreads its power over the whole band, so at 44.1 kHz its lower half would be 3 dB
    /// quieter than at 22.05 kHz.)
    init(seed: UInt32, sampleRate: Double) {
        state = seed == 0 ? 0x9E37_79B9 : seed
        scale = Float((sampleRate / 44100).squareRoot()) / 2_147_483_648
    }

    /// The next sample: uniform in [-1, 1) for draws, scaled for audio noise.
    @inline(__always) mutating func next() -> Float {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Float(Int32(bitPattern: state)) * scale
    }
}

/// A 4096-point sine table, read with linear interpolation: cheaper than a polynomial per
/// sample, and exact to about 1e-6.
enum SineTable {
    static let size = 4096
    /// One period and two guard points, so that a phase that rounds up to 1 still reads safely.
    static let values: [Float] = (0...size + 1).map { Float(PortableMath.sin(PortableMath.twoPi * Double($0) / Double(size))) }

    /// sin(2π phase) for phase in [0, 1].
    @inline(__always) static func lookup(_ table: UnsafeBufferPointer<Float>, _ phase: Double) -> Float {
        let x = phase * Double(size)
        let i = Int(x)
        let fraction = Float(x - Double(i))
        return table[i] + fraction * (table[i + 1] - table[i])
    }

    /// Runs `body` with the table as a raw buffer, for inner loops.
    static func withTable<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        values.withUnsafeBufferPointer(body)
    }
}

/// Wraps a phase into [0, 1] (1 only by rounding). Truncation to an integer is one
/// instruction; `rounded(.down)` is a library call on baseline x86-64.
@inline(__always) func wrapPhase(_ phase: Double) -> Double {
    let fraction = phase - Double(Int(phase))
    return fraction < 0 ? fraction + 1 : fraction
}

/// A band-limited sawtooth / pulse oscillator (PolyBLEP): naive waveforms alias audibly,
/// and the polynomial correction costs two branches.
struct BLEPOscillator {
    var phase: Double

    init(phase: Double = 0) { self.phase = phase }

    @inline(__always) private static func blep(_ t: Double, _ dt: Double) -> Double {
        if t < dt {
            let x = t / dt
            return x + x - x * x - 1
        } else if t > 1 - dt {
            let x = (t - 1) / dt
            return x * x + x + x + 1
        }
        return 0
    }

    /// Next sawtooth sample in [-1, 1]; `increment` is frequency / sample rate.
    @inline(__always) mutating func saw(_ increment: Double) -> Float {
        let value = 2 * phase - 1 - Self.blep(phase, increment)
        phase += increment
        if phase >= 1 { phase -= 1 }
        return Float(value)
    }

    /// Next pulse sample with duty cycle `width` (0.5: square).
    @inline(__always) mutating func pulse(_ increment: Double, width: Double) -> Float {
        var value: Double = phase < width ? 1 : -1
        value += Self.blep(phase, increment)
        value -= Self.blep(wrapPhase(phase + 1 - width), increment)
        phase += increment
        if phase >= 1 { phase -= 1 }
        return Float(value)
    }
}

/// A one-pole low-pass (and, by subtraction, high-pass) filter.
struct OnePole {
    let coefficient: Float
    // Written y = a x + (1 - a) y rather than y += a (x - y): one operation fewer in the
    // recursion, which is what bounds the speed of a recursive filter.
    private let retain: Float
    private var state: Float = 0

    init(hertz: Double, sampleRate: Double) {
        coefficient = PortableMath.onePoleCoefficient(hertz: hertz, sampleRate: sampleRate)
        retain = 1 - coefficient
    }

    @inline(__always) mutating func lowpass(_ x: Float) -> Float {
        state = coefficient * x + retain * state
        return state
    }

    @inline(__always) mutating func highpass(_ x: Float) -> Float { x - lowpass(x) }
}

/// A state-variable filter in Zavalishin's topology-preserving form: stable under fast
/// cutoff changes (filter sweeps, envelopes), with low-, band- and high-pass outputs.
///
/// The two-integrator update is written as its equivalent state-space matrix, so that each
/// sample's dependency chain is one multiply and two adds: recursive filters are bound by
/// that chain's latency, not by their operation count.
struct StateVariableFilter {
    private var s1: Float = 0
    private var s2: Float = 0
    // State update: s' = [[c11, c12], [c21, c22]] s + [d1, d2] x.
    private var c11: Float = 1, c12: Float = 0, c21: Float = 0, c22: Float = 1, d1: Float = 0, d2: Float = 0
    // Outputs from the old state: band = b1 s1 + b2 s2 + b0 x, low = l1 s1 + l2 s2 + l0 x.
    private var b1: Float = 0, b2: Float = 0, b0: Float = 0, l1: Float = 0, l2: Float = 1, l0: Float = 0
    private var k: Float = 1

    init(hertz: Double, q: Double, sampleRate: Double) {
        setCutoff(hertz, q: q, sampleRate: sampleRate)
    }

    /// Sets cutoff (kept below 0.45 × the sample rate) and resonance Q (0.5: none, 5: sharp).
    mutating func setCutoff(_ hertz: Double, q: Double, sampleRate: Double) {
        let f = min(max(hertz, 10), 0.45 * sampleRate)
        let g = PortableMath.tan(Double.pi * f / sampleRate)
        let damping = 1 / max(q, 0.1)
        let a1 = 1 / (1 + g * (g + damping))
        let a2 = g * a1
        let a3 = g * a2
        // v1 = a1 s1 - a2 s2 + a2 x;  v2 = a2 s1 + (1 - a3) s2 + a3 x;  s1' = 2 v1 - s1;  s2' = 2 v2 - s2.
        (b1, b2, b0) = (Float(a1), Float(-a2), Float(a2))
        (l1, l2, l0) = (Float(a2), Float(1 - a3), Float(a3))
        (c11, c12, d1) = (Float(2 * a1 - 1), Float(-2 * a2), Float(2 * a2))
        (c21, c22, d2) = (Float(2 * a2), Float(1 - 2 * a3), Float(2 * a3))
        k = Float(damping)
    }

    /// Advances one sample; returns (low, band, high).
    @inline(__always) mutating func process(_ x: Float) -> (low: Float, band: Float, high: Float) {
        let band = (b1 * s1 + b2 * s2) + b0 * x
        let low = (l1 * s1 + l2 * s2) + l0 * x
        let n1 = (c11 * s1 + c12 * s2) + d1 * x
        s2 = (c21 * s1 + c22 * s2) + d2 * x
        s1 = n1
        return (low, band, x - k * band - low)
    }

    @inline(__always) mutating func lowpass(_ x: Float) -> Float { process(x).low }
    @inline(__always) mutating func highpass(_ x: Float) -> Float { process(x).high }
    /// Band-pass normalised to unit gain at the centre frequency.
    @inline(__always) mutating func bandpass(_ x: Float) -> Float { k * process(x).band }
}

/// An attack-decay-sustain-release envelope: linear attack, exponential decay and release.
struct Envelope {
    private var level: Float = 0
    private let attackStep: Float
    private let decayFactor: Float
    private let sustain: Float
    private let releaseFactor: Float
    private let gateSamples: Int
    private var attacking = true
    private var n = 0

    /// Samples from the note's start until the release has fallen by 60 dB.
    let length: Int

    /// - Parameters: times in seconds (decay and release to -60 dB); `gate` is how long the key is held.
    init(attack: Double, decay: Double, sustain: Double, release: Double, gate: Double, sampleRate: Double) {
        attackStep = Float(1 / max(attack * sampleRate, 1))
        decayFactor = Float(PortableMath.decayFactor(seconds: decay, sampleRate: sampleRate))
        self.sustain = Float(sustain)
        releaseFactor = Float(PortableMath.decayFactor(seconds: release, sampleRate: sampleRate))
        gateSamples = Int((max(gate, 0) * sampleRate).rounded())
        length = gateSamples + Int((release * sampleRate).rounded(.up))
    }

    @inline(__always) mutating func next() -> Float {
        if n < gateSamples {
            if attacking {
                level += attackStep
                if level >= 1 {
                    level = 1
                    attacking = false
                }
            } else {
                level = sustain + (level - sustain) * decayFactor
            }
        } else {
            level *= releaseFactor
        }
        n += 1
        return level
    }
}

/// A soft clipper: the (3,2) Padé approximant of tanh, exactly ±1 beyond ±3.
/// It is the distortion of guitars, 808s and the master bus.
@inline(__always) func softClip(_ x: Float) -> Float {
    if x <= -3 { return -1 }
    if x >= 3 { return 1 }
    let x2 = x * x
    return x * (27 + x2) / (27 + 9 * x2)
}

/// Four exponentially decaying sinusoids, each computed by complex rotation (two multiplies
/// per sample, no table). Pianos, bells, hand drums and snare shells are sums of these
/// (modal synthesis).
///
/// They are stepped together because one rotator's next sample waits on its previous one;
/// four independent rotators keep the processor busy while each waits.
struct DampedSineBank {
    private var re0 = 0.0, im0 = 0.0, re1 = 0.0, im1 = 0.0, re2 = 0.0, im2 = 0.0, re3 = 0.0, im3 = 0.0
    private var c0 = 0.0, s0 = 0.0, c1 = 0.0, s1 = 0.0, c2 = 0.0, s2 = 0.0, c3 = 0.0, s3 = 0.0

    /// Up to four modes: (frequency in Hz, amplitude, time to fall by 60 dB, starting phase in turns).
    init(_ modes: ArraySlice<(hertz: Double, amplitude: Double, decay: Double, phase: Double)>, sampleRate: Double) {
        var values = Array(repeating: (re: 0.0, im: 0.0, c: 0.0, s: 0.0), count: 4)
        for (k, mode) in modes.prefix(4).enumerated() {
            let r = PortableMath.decayFactor(seconds: mode.decay, sampleRate: sampleRate)
            let w = PortableMath.twoPi * mode.hertz / sampleRate
            let turn = PortableMath.twoPi * mode.phase
            values[k] = (mode.amplitude * PortableMath.cos(turn), mode.amplitude * PortableMath.sin(turn),
                         r * PortableMath.cos(w), r * PortableMath.sin(w))
        }
        (re0, im0, c0, s0) = values[0]
        (re1, im1, c1, s1) = values[1]
        (re2, im2, c2, s2) = values[2]
        (re3, im3, c3, s3) = values[3]
    }

    /// The sum of the four modes' next samples.
    @inline(__always) mutating func next() -> Float {
        let sum = (im0 + im1) + (im2 + im3)
        let n0 = re0 * c0 - im0 * s0
        im0 = re0 * s0 + im0 * c0
        re0 = n0
        let n1 = re1 * c1 - im1 * s1
        im1 = re1 * s1 + im1 * c1
        re1 = n1
        let n2 = re2 * c2 - im2 * s2
        im2 = re2 * s2 + im2 * c2
        re2 = n2
        let n3 = re3 * c3 - im3 * s3
        im3 = re3 * s3 + im3 * c3
        re3 = n3
        return Float(sum)
    }
}
