import Foundation
@testable import Spectral
import Testing

/// librosa's values, made by `Fixtures/make_fixtures.py`, for the same test signal.
struct LibrosaFixture: Decodable {
    struct Sparse: Decodable { var shape: [Int]; var rows: [Int]; var cols: [Int]; var values: [Double] }
    struct FilterBank: Decodable { var sr: Int; var n_fft: Int; var n_mels: Int; var htk: Bool; var weights: Sparse }
    struct Spectrogram: Decodable {
        var sr: Int; var seconds: Double; var n_fft: Int; var hop: Int; var n_mels: Int; var pad_mode: String
        var stft_magnitude_frames_0_3: [[Double]]
        var mel_power: [[Double]]
        var mel_db: [[Double]]
    }
    var librosa: String
    var filter_banks: [FilterBank]
    var spectrograms: [Spectrogram]

    static let shared: LibrosaFixture = {
        let url = Bundle.module.url(forResource: "librosa_mel", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(LibrosaFixture.self, from: Data(contentsOf: url))
    }()

    /// The fixture script's `test_signal`: two tones, a chirp and clicks, computed in double
    /// precision and rounded to float, as numpy does.
    static func signal(sampleRate sr: Int, seconds: Double) -> [Float] {
        let n = Int(Double(sr) * seconds)
        let f0 = 100.0, f1 = 0.4 * Double(sr)
        let clickEvery = Int(0.25 * Double(sr))
        return (0..<n).map { i in
            let t = Double(i) / Double(sr)
            let chirp = sin(2 * Double.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)))
            var y = 0.4 * sin(2 * Double.pi * 440 * t) + 0.2 * sin(2 * Double.pi * 3150 * t) + 0.2 * chirp
            if i % clickEvery == 0 { y += 0.8 }
            return Float(y)
        }
    }
}

/// Relative error with a floor, so that values near zero compare absolutely.
func relativeError(_ a: Double, _ b: Double, floor: Double) -> Double { abs(a - b) / max(abs(b), floor) }

@Suite struct MelSpectrogramTests {
    let fixture = LibrosaFixture.shared

    @Test func slaneyMelScaleKnownPoints() {
        // Linear below 1 kHz at 200/3 Hz per mel; 1 kHz is 15 mel; 27 mels per factor 6.4 above.
        #expect(abs(MelScale.slaney.mel(fromHz: 1000) - 15) < 1e-12)
        #expect(abs(MelScale.slaney.mel(fromHz: 6400) - 42) < 1e-9)
        #expect(abs(MelScale.slaney.hz(fromMel: MelScale.slaney.mel(fromHz: 3333)) - 3333) < 1e-9)
        #expect(abs(MelScale.htk.mel(fromHz: 700) - 2595 * log10(2)) < 1e-9)
    }

    @Test(arguments: 0..<4)
    func filterBankMatchesLibrosa(index: Int) throws {
        let expected = fixture.filter_banks[index]
        let bank = MelFilterBank(sampleRate: expected.sr, fftSize: expected.n_fft, bandCount: expected.n_mels,
                                 scale: expected.htk ? .htk : .slaney)
        #expect([bank.bandCount, bank.binCount] == expected.weights.shape)
        var dense = [Double](repeating: 0, count: bank.weights.count)
        for (i, value) in expected.weights.values.enumerated() {
            dense[expected.weights.rows[i] * bank.binCount + expected.weights.cols[i]] = value
        }
        // float32 weights computed in double: they agree to float rounding (1e-6 relative).
        let peak = dense.max()!
        var worst = 0.0
        for i in dense.indices { worst = max(worst, abs(Double(bank.weights[i]) - dense[i]) / peak) }
        #expect(worst < 1e-5, "worst difference \(worst) of the peak weight, librosa \(fixture.librosa)")
        // The same nonzero pattern: no band empty or shifted by a bin.
        #expect(dense.indices.filter { (dense[$0] > 0) != (bank.weights[$0] > 0) }.count == 0)
    }

    @Test(arguments: 0..<2)
    func melSpectrogramMatchesLibrosa(index: Int) throws {
        let expected = fixture.spectrograms[index]
        let signal = LibrosaFixture.signal(sampleRate: expected.sr, seconds: expected.seconds)
        let padding: ShortTimeFourierTransform.Padding = expected.pad_mode == "reflect" ? .reflect : .zeros
        let mel = MelSpectrogram(sampleRate: expected.sr, fftSize: expected.n_fft, hopLength: expected.hop,
                                 bandCount: expected.n_mels, padding: padding)
        let stft = mel.stft.spectrogram(signal, exponent: 1)
        #expect(stft.frameCount == expected.mel_power.count)
        for (f, frame) in expected.stft_magnitude_frames_0_3.enumerated() {
            let peak = frame.max()!
            for (k, value) in frame.enumerated() {
                #expect(abs(Double(stft[f, k]) - value) <= 1e-3 * max(abs(value), 1e-3 * peak),
                        "STFT frame \(f) bin \(k): \(stft[f, k]) vs \(value)")
            }
        }
        let power = mel.compute(signal)
        #expect(power.frameCount == expected.mel_power.count && power.columns == expected.n_mels)
        // 1e-3 relative (the bound) for every band above 1e-6 of the frame's peak;
        // below that float32 rounding of the FFT dominates and we compare absolutely.
        var worst = 0.0
        for (f, frame) in expected.mel_power.enumerated() {
            let floor = 1e-6 * frame.max()!
            for (b, value) in frame.enumerated() {
                worst = max(worst, relativeError(Double(power[f, b]), value, floor: floor))
            }
        }
        #expect(worst < 1e-3, "worst relative difference \(worst)")
        let db = Decibels.fromPower(power.values)
        let expectedDB = expected.mel_db.flatMap { $0 }
        let worstDB = zip(db, expectedDB).map { abs(Double($0) - $1) }.max()!
        #expect(worstDB < 0.01, "worst dB difference \(worstDB)")
    }

    @Test func decibelsFollowPowerToDB() {
        #expect(Decibels.fromPower([1, 10, 100, 0]) == [0, 10, 20, -60])  // the 80 dB floor under 20 dB
        #expect(Decibels.fromPower([1, 0], dynamicRange: nil) == [0, -100])  // amin 1e-10
        let relative = Decibels.fromPower([4, 1], reference: 4)
        #expect(relative[0] == 0 && abs(relative[1] + 6.0206) < 1e-4)
    }

    @Test func reflectPaddingMirrorsWithoutTheEdge() {
        // A 2-point FFT frame centred on sample 0 of [a, b, c] sees [b, a] with reflect padding.
        let stft = ShortTimeFourierTransform(fftSize: 2, hopLength: 1, padding: .reflect, window: [1, 1])
        let spectrum = stft.spectrogram([1, 2, 3], exponent: 1)
        #expect(spectrum.frameCount == 4)
        #expect(spectrum[0, 0] == 3)  // |b + a| = |2 + 1|
        #expect(spectrum[0, 1] == 1)  // |b - a|
    }
}
