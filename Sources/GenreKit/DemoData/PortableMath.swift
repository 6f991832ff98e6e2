/// Elementary functions built from IEEE-754 `+ - * /` alone.
///
/// The demo music must be bit-identical on every machine, and the C library's `sin`, `exp`
/// and `log` differ in their last bits between glibc, Darwin and Windows. Basic arithmetic is
/// correctly rounded everywhere, so these polynomial versions give the same bits on every
/// platform. They are accurate to about 1e-12, far beyond what audio needs, and are only
/// called per note or per block, never per sample.
enum PortableMath {
    static let ln2 = 0.693_147_180_559_945_3
    static let twoPi = 2 * Double.pi

    /// sin(x): reduction to [-π/2, π/2], then the Taylor series to degree 17.
    static func sin(_ x: Double) -> Double {
        guard x.isFinite else { return .nan }
        var r = x - (x / twoPi).rounded() * twoPi
        // sin(π - r) = sin(r) folds [-π, π] onto [-π/2, π/2], where the series converges fast.
        if r > Double.pi / 2 { r = Double.pi - r } else if r < -Double.pi / 2 { r = -Double.pi - r }
        let r2 = r * r
        var p = 1.0 / 355_687_428_096_000
        p = p * r2 - 1.0 / 1_307_674_368_000
        p = p * r2 + 1.0 / 6_227_020_800
        p = p * r2 - 1.0 / 39_916_800
        p = p * r2 + 1.0 / 362_880
        p = p * r2 - 1.0 / 5040
        p = p * r2 + 1.0 / 120
        p = p * r2 - 1.0 / 6
        p = p * r2 + 1
        return r * p
    }

    static func cos(_ x: Double) -> Double { sin(x + Double.pi / 2) }

    /// tan(x) for |x| < π/2 (filter pre-warping: tan(π f / sampleRate)).
    static func tan(_ x: Double) -> Double { sin(x) / cos(x) }

    /// e^x: x = k ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series, 2^k exactly.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x < -700 { return 0 }
        if x > 700 { return .infinity }
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var p = 1.0 / 479_001_600
        for factorial in [39_916_800.0, 3_628_800, 362_880, 40320, 5040, 720, 120, 24, 6, 2, 1, 1] {
            p = p * r + 1 / factorial
        }
        return p * Double(sign: .plus, exponent: Int(k), significand: 1)
    }

    /// Natural logarithm of x > 0: x = m 2^e with m in [√½, √2), log m = 2 atanh((m-1)/(m+1)).
    static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == 0 ? -.infinity : .nan }
        var exponent = Double(x.exponent)
        var m = x.significand
        if m > 1.414_213_562_373_095 {
            m /= 2
            exponent += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var p = 1.0 / 23
        var odd = 21.0
        while odd >= 1 {
            p = p * s2 + 1 / odd
            odd -= 2
        }
        return exponent * ln2 + 2 * s * p
    }

    /// Amplitude of a level in decibels: 10^(dB/20).
    static func amplitude(decibels: Double) -> Double { exp(decibels * (2.302_585_092_994_046 / 20)) }

    /// Frequency in Hz of a MIDI note number (69 = A4 = 440 Hz); fractions are microtones.
    static func hertz(midi: Double) -> Double { 440 * exp((midi - 69) * (ln2 / 12)) }

    /// The per-sample factor that makes an exponential decay fall by 60 dB in `seconds`.
    static func decayFactor(seconds: Double, sampleRate: Double) -> Double {
        exp(-6.907_755_278_982_137 / (max(seconds, 1e-4) * sampleRate))
    }

    /// Coefficient of a one-pole low-pass with cutoff `hertz`: y += a (x - y).
    static func onePoleCoefficient(hertz: Double, sampleRate: Double) -> Float {
        Float(1 - exp(-twoPi * min(hertz, 0.45 * sampleRate) / sampleRate))
    }
}
