import Testing
@testable import Spectral

/// The STFT pass's shortcuts against the plain ways, bit for bit: both frames of a pair
/// windowed in one pass, each frame's largest power kept while the powers are stored, and the
/// tuning trackers writing peaks straight into their stores.
@Suite struct StftPassTests {
    /// Every row is what windowing the pair's frames one sample at a time (`paddedSample`)
    /// and transforming them gives, and the peak that comes with a row is its largest value.
    /// Frames reach into the padding at both ends around a middle of paired frames inside the
    /// signal; 10240 samples give 21 frames (the last unpaired), 10001 give 20, and 1500 give
    /// three, every one partly padding.
    @Test(arguments: [10_240, 10_001, 1_500])
    func pairedWindowingAndPeaksMatchThePlainWay(samples: Int) {
        var numbers = TestNumbers(state: UInt32(samples))
        let signal = (0..<samples).map { _ in 2 * numbers.next() - 1 }
        let stft = ShortTimeFourierTransform(fftSize: 2048, hopLength: 512, center: true, padding: .reflect)
        let frames = stft.frameCount(forSampleCount: samples), bins = stft.binCount
        var peaks = [Float](repeating: .nan, count: frames)
        let spectrogram = stft.powerSpectrogram(signal) { t, _, peak in peaks[t] = peak }

        let pair = FramePairFFT(size: 2048)
        var first = [Float](repeating: 0, count: bins), second = first
        signal.withUnsafeBufferPointer { samples in
            for t in stride(from: 0, to: frames, by: 2) {
                for (frame, u) in [(pair.first, t), (pair.second, t + 1)] where u < frames {
                    for n in 0..<2048 {
                        frame[n] = paddedSample(samples, u * 512 - 1024 + n, .reflect) * stft.window[n]
                    }
                }
                pair.transform(pair.first, t + 1 < frames ? pair.second : nil)
                pair.powers(into: &first, &second)
                #expect(Array(spectrogram.frame(t)) == first, "frame \(t)")
                #expect(peaks[t] == first.max()!, "frame \(t)")
                if t + 1 < frames {
                    #expect(Array(spectrogram.frame(t + 1)) == second, "frame \(t + 1)")
                    #expect(peaks[t + 1] == second.max()!, "frame \(t + 1)")
                }
            }
        }
    }

    /// A tracker fed many frames holds the peaks of each frame fed alone, in order, however
    /// often its stores grew; for an FFT size that is a power of two (bins to hertz by the
    /// reciprocal) and one that is not (by division).
    @Test(arguments: [2048, 2000])
    func trackerKeepsEveryFramesPeaks(fftSize: Int) {
        var numbers = TestNumbers(state: UInt32(fftSize))
        var together = TuningEstimator(sampleRate: 22050, fftSize: fftSize)
        var pitches: [Float] = [], magnitudes: [Float] = []
        for _ in 0..<200 {
            let frame = (0..<(fftSize / 2 + 1)).map { _ in numbers.next() }
            frame.withUnsafeBufferPointer { frame in
                together.add(frame)
                var alone = TuningEstimator(sampleRate: 22050, fftSize: fftSize)
                alone.add(frame)
                pitches += alone.pitches
                magnitudes += alone.magnitudes
            }
        }
        // Random frames have a peak in about one bin of three: the stores grew many times.
        #expect(pitches.count > 10_000)
        #expect(together.pitches == pitches)
        #expect(together.magnitudes == magnitudes)
    }
}
