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
        let start = Int(((time - origin) * sampleRate).rounded())
        guard start >= 0, start < samples.count else { return nil }
        let count = min(Int((seconds * sampleRate).rounded(.up)), samples.count - start)
        return count > 0 ? (start, count) : nil
    }

    /// Clip time of a sample index.
    func time(ofIndex index: Int) -> Double { origin + Double(index) / sampleRate }
}

/// White noise from xorshift32: one multiply-free step per sample, seeded per note so that
/// the clip's main generator is never called in an inner loop.
struct NoiseSource {
    private var state: UInt32

    init(seed: UInt32) { state = seed == 0 ? 0x9E37_79B9 : seed }

    /// A uniform sample in [-1, 1).
    @inline(__always) mutating func next() -> Float {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Float(Int32(bitPattern: state)) * (1 / 2_147_483_648)
    }
}

/// A 4096-point sine table, read with linear interpolation: cheaper than a polynomial per
/// sample, and exact to about 1e-6.
enum SineTable {
    static let size = 4096
    static let values: [Float] = (0...size).map { Float(PortableMath.sin(PortableMath.twoPi * Double($0) / Double(size))) }

    /// sin(2π phase) for phase in [0, 1).
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

/// Wraps a phase into [0, 1).
@inline(__always) func wrapPhase(_ phase: Double) -> Double { phase - phase.rounded(.down) }

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
    var coefficient: Float
    var state: Float = 0

    init(hertz: Double, sampleRate: Double) {
        coefficient = PortableMath.onePoleCoefficient(hertz: hertz, sampleRate: sampleRate)
    }

    @inline(__always) mutating func lowpass(_ x: Float) -> Float {
        state += coefficient * (x - state)
        return state
    }

    @inline(__always) mutating func highpass(_ x: Float) -> Float { x - lowpass(x) }
}

/// A state-variable filter in Zavalishin's topology-preserving form: stable under fast
/// cutoff changes (filter sweeps, envelopes), with low-, band- and high-pass outputs.
struct StateVariableFilter {
    private var ic1: Float = 0
    private var ic2: Float = 0
    private var a1: Float = 1
    private var a2: Float = 0
    private var a3: Float = 0
    private var k: Float = 1

    init(hertz: Double, q: Double, sampleRate: Double) {
        setCutoff(hertz, q: q, sampleRate: sampleRate)
    }

    /// Sets cutoff (kept below 0.45 × the sample rate) and resonance Q (0.5: none, 5: sharp).
    mutating func setCutoff(_ hertz: Double, q: Double, sampleRate: Double) {
        let f = min(max(hertz, 10), 0.45 * sampleRate)
        let g = PortableMath.tan(Double.pi * f / sampleRate)
        let damping = 1 / max(q, 0.1)
        let d1 = 1 / (1 + g * (g + damping))
        a1 = Float(d1)
        a2 = Float(g * d1)
        a3 = Float(g * g * d1)
        k = Float(damping)
    }

    /// Advances one sample; returns (low, band, high).
    @inline(__always) mutating func process(_ x: Float) -> (low: Float, band: Float, high: Float) {
        let v3 = x - ic2
        let v1 = a1 * ic1 + a2 * v3
        let v2 = ic2 + a2 * ic1 + a3 * v3
        ic1 = 2 * v1 - ic1
        ic2 = 2 * v2 - ic2
        return (v2, v1, x - k * v1 - v2)
    }

    @inline(__always) mutating func lowpass(_ x: Float) -> Float { process(x).low }
    @inline(__always) mutating func highpass(_ x: Float) -> Float { process(x).high }
    /// Band-pass normalised to unit gain at the centre frequency.
    @inline(__always) mutating func bandpass(_ x: Float) -> Float { k * process(x).band }
}

/// An attack-decay-sustain-release envelope: linear attack, exponential decay and release.
struct Envelope {
    private(set) var level: Float = 0
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

/// A decaying sinusoid computed by complex rotation: two multiplies per sample and no table.
/// Pianos, bells, hand drums and snare shells are sums of these (modal synthesis).
struct DampedSine {
    private var re: Double
    private var im: Double
    private let cosine: Double
    private let sine: Double

    /// - Parameters: `decay` is the time to fall by 60 dB, `phase` the starting phase in turns.
    init(hertz: Double, amplitude: Double, decay: Double, phase: Double = 0, sampleRate: Double) {
        let r = PortableMath.decayFactor(seconds: decay, sampleRate: sampleRate)
        let w = PortableMath.twoPi * hertz / sampleRate
        cosine = r * PortableMath.cos(w)
        sine = r * PortableMath.sin(w)
        re = amplitude * PortableMath.cos(PortableMath.twoPi * phase)
        im = amplitude * PortableMath.sin(PortableMath.twoPi * phase)
    }

    @inline(__always) mutating func next() -> Float {
        let value = im
        let newRe = re * cosine - im * sine
        im = re * sine + im * cosine
        re = newRe
        return Float(value)
    }
}
