import CVectorMath
import Foundation

/// The short-time Fourier transform, with librosa's conventions (`librosa.stft`).
///
/// Frame `t` covers samples `[t * hop, t * hop + fftSize)` of the signal, padded by
/// `fftSize / 2` on both sides when `center` is true, so that frame `t` is centred on sample
/// `t * hop`. Frames are multiplied by the window and transformed, two at a time by one
/// complex FFT (`FramePairFFT`); we keep magnitudes or powers, never phases. Frame count:
/// `1 + (paddedLength - fftSize) / hop`.
public struct ShortTimeFourierTransform: Sendable {
    /// How the signal is extended at its ends when `center` is true.
    public enum Padding: Sendable {
        /// Zeros (librosa >= 0.10's default, `pad_mode='constant'`).
        case zeros
        /// Mirror without repeating the edge sample (`pad_mode='reflect'`, librosa < 0.10's default).
        case reflect
    }

    /// Samples per frame, and the FFT size (librosa: `n_fft`).
    public var fftSize: Int
    /// Samples between frame starts (librosa: `hop_length`).
    public var hopLength: Int
    public var center: Bool
    public var padding: Padding
    /// The window, `fftSize` values (librosa: `window='hann'`, periodic).
    public var window: [Float]

    public init(fftSize: Int = 2048, hopLength: Int? = nil, center: Bool = true, padding: Padding = .zeros,
                window: [Float]? = nil) {
        precondition(fftSize >= 2, "fftSize must be at least 2")
        self.fftSize = fftSize
        self.hopLength = hopLength ?? fftSize / 4
        precondition(self.hopLength >= 1, "hopLength must be at least 1")
        self.center = center
        self.padding = padding
        self.window = window ?? Window.hann(length: fftSize)
        precondition(self.window.count == fftSize, "the window must have fftSize values")
    }

    public var binCount: Int { fftSize / 2 + 1 }

    /// Number of frames for a signal of `count` samples.
    public func frameCount(forSampleCount count: Int) -> Int {
        let padded = center ? count + 2 * (fftSize / 2) : count
        return padded < fftSize ? (center ? 1 : 0) : 1 + (padded - fftSize) / hopLength
    }

    /// |STFT|^exponent per frame and bin: `exponent` 1 gives magnitudes, 2 powers.
    /// - Returns: frames x (fftSize / 2 + 1).
    public func spectrogram(_ signal: [Float], exponent: Float = 2) -> FrameMatrix {
        var result = powerSpectrogram(signal) { _, _, _ in }
        // Powers to |X|^exponent in a second pass, off the hot loop.
        if exponent == 1 {
            result.values.withUnsafeMutableBufferPointer { genre_square_roots($0.baseAddress!, $0.baseAddress!, $0.count) }
        } else if exponent != 2 {
            for i in result.values.indices { result.values[i] = powf(result.values[i], exponent / 2) }
        }
        return result
    }

    /// Calls `body` with each frame's index and power spectrum (`fftSize / 2 + 1` values in a
    /// buffer reused from frame to frame), so that a consumer such as a mel projection never
    /// holds the whole spectrogram in memory.
    public func forEachPowerFrame(_ signal: [Float], _ body: (Int, UnsafeBufferPointer<Float>) -> Void) {
        var power = [Float](repeating: 0, count: 2 * binCount)
        power.withUnsafeMutableBufferPointer { power in
            forEachPowerFrame(signal, rows: { power.baseAddress! + ($0 % 2) * binCount }) { t, frame, _ in body(t, frame) }
        }
    }

    /// The power spectrogram, frames x bins, with `body` called on each frame as soon as it
    /// is written, with the frame's largest power: for a consumer that needs the whole
    /// spectrogram later and each frame now.
    public func powerSpectrogram(_ signal: [Float], _ body: (Int, UnsafeBufferPointer<Float>, Float) -> Void)
        -> FrameMatrix {
        let frames = frameCount(forSampleCount: signal.count), bins = binCount
        // Every value is written below, so the storage starts uninitialized.
        let values = [Float](unsafeUninitializedCapacity: frames * bins) { storage, count in
            forEachPowerFrame(signal, rows: { storage.baseAddress! + $0 * bins }, body)
            count = frames * bins
        }
        return FrameMatrix(frameCount: frames, columns: bins, values: values)
    }

    /// The frame loop, two frames per complex FFT (`FramePairFFT`): frame t's powers go to
    /// `rows(t)`, then `body` reads them there, in frame order, with their largest value.
    private func forEachPowerFrame(_ signal: [Float], rows: (Int) -> UnsafeMutablePointer<Float>,
                                   _ body: (Int, UnsafeBufferPointer<Float>, Float) -> Void) {
        let pair = FramePairFFT(size: fftSize)
        let frames = frameCount(forSampleCount: signal.count)
        let offset = center ? fftSize / 2 : 0
        // The powers of the imaginary partner of a last, unpaired frame.
        let discard = UnsafeMutablePointer<Float>.allocate(capacity: binCount)
        defer { discard.deallocate() }
        signal.withUnsafeBufferPointer { samples in
            window.withUnsafeBufferPointer { window in
                let w = window.baseAddress!
                // Whether frame `t` lies inside the signal, clear of the padding.
                func isInside(_ t: Int) -> Bool {
                    let start = t * hopLength - offset
                    return start >= 0 && start + fftSize <= samples.count
                }
                func windowed(_ t: Int, into frame: UnsafeMutablePointer<Float>) {
                    let start = t * hopLength - offset
                    if isInside(t) {
                        // Inside the signal: a straight windowed copy.
                        multiply(samples.baseAddress! + start, w, into: frame, count: fftSize)
                    } else {
                        for n in 0..<fftSize { frame[n] = paddedSample(samples, start + n, padding) * window[n] }
                    }
                }
                for t in stride(from: 0, to: frames, by: 2) {
                    let paired = t + 1 < frames
                    if paired && isInside(t) && isInside(t + 1) {
                        // Both frames are straight windowed copies: one pass over the window.
                        let start = samples.baseAddress! + t * hopLength - offset
                        multiply(start, start + hopLength, by: w, into: pair.first, pair.second, count: fftSize)
                    } else {
                        windowed(t, into: pair.first)
                        if paired { windowed(t + 1, into: pair.second) }
                    }
                    pair.transform(pair.first, paired ? pair.second : nil)
                    let peaks = pair.powers(into: rows(t), paired ? rows(t + 1) : discard)
                    body(t, UnsafeBufferPointer(start: rows(t), count: binCount), peaks.0)
                    if paired { body(t + 1, UnsafeBufferPointer(start: rows(t + 1), count: binCount), peaks.1) }
                }
            }
        }
    }
}

/// `out[n] = a[n] * b[n]`, eight at a time (the pointers may alias as far as the compiler
/// knows, which keeps it from vectorizing the plain loop).
@inline(__always)
private func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                      count: Int) {
    var n = 0
    while n + 8 <= count {
        let x = genre_load8(a + n)
        let y = genre_load8(b + n)
        UnsafeMutableRawPointer(out + n).storeBytes(of: x * y, as: SIMD8<Float>.self)
        n += 8
    }
    while n < count {
        out[n] = a[n] * b[n]
        n += 1
    }
}

/// `first[n] = a[n] * w[n]` and `second[n] = b[n] * w[n]`, eight of each at a time: two
/// frames windowed in one pass, so each window vector is loaded once for both.
@inline(__always)
private func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, by w: UnsafePointer<Float>,
                      into first: UnsafeMutablePointer<Float>, _ second: UnsafeMutablePointer<Float>, count: Int) {
    var n = 0
    while n + 8 <= count {
        let window = genre_load8(w + n)
        let x = genre_load8(a + n), y = genre_load8(b + n)
        UnsafeMutableRawPointer(first + n).storeBytes(of: x * window, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(second + n).storeBytes(of: y * window, as: SIMD8<Float>.self)
        n += 8
    }
    while n < count {
        first[n] = a[n] * w[n]
        second[n] = b[n] * w[n]
        n += 1
    }
}

/// The sample at `index` of a signal extended at both ends by zeros or by mirroring without
/// repeating the edge sample (numpy's `reflect`, repeated for long pads).
@inline(__always)
func paddedSample(_ samples: UnsafeBufferPointer<Float>, _ index: Int,
                  _ padding: ShortTimeFourierTransform.Padding) -> Float {
    if index >= 0 && index < samples.count { return samples[index] }
    switch padding {
    case .zeros:
        return 0
    case .reflect:
        guard samples.count > 1 else { return samples.first ?? 0 }
        let period = 2 * (samples.count - 1)
        var i = index % period
        if i < 0 { i += period }
        return samples[i < samples.count ? i : period - i]
    }
}
