import CVectorMath
import Foundation

/// The eleven features of FMA's `features.csv`, in the order of its columns (sorted by name).
public enum FMAFeature: String, CaseIterable, Sendable {
    case chromaCENS = "chroma_cens"
    case chromaCQT = "chroma_cqt"
    case chromaSTFT = "chroma_stft"
    case mfcc
    /// librosa 0.5's `rmse`, renamed `rms` in 0.7; FMA's column keeps the old name.
    case rmse
    case spectralBandwidth = "spectral_bandwidth"
    case spectralCentroid = "spectral_centroid"
    case spectralContrast = "spectral_contrast"
    case spectralRolloff = "spectral_rolloff"
    case tonnetz
    case zcr

    /// Rows per frame.
    public var size: Int {
        switch self {
        case .chromaCENS, .chromaCQT, .chromaSTFT: 12
        case .mfcc: 20
        case .spectralContrast: 7
        case .tonnetz: 6
        case .rmse, .spectralBandwidth, .spectralCentroid, .spectralRolloff, .zcr: 1
        }
    }
}

/// One column of `features.csv`: its three header cells.
public struct FMAFeatureColumn: Sendable, Hashable {
    public var feature: String
    public var statistic: String
    /// Two digits from "01", as FMA writes it.
    public var number: String

    public init(feature: String, statistic: String, number: String) {
        self.feature = feature
        self.statistic = statistic
        self.number = number
    }
}

/// The FMA feature set of one clip, per frame, before the statistics.
public struct FMAFeatureFrames: Sendable {
    /// Each feature's frames x rows.
    public var features: [FMAFeature: FrameMatrix]
    /// The tuning estimates (fractions of a semitone) behind the CQT and `chroma_stft`.
    public var constantQTuning: Double
    public var chromaTuning: Double
    /// Seconds spent per stage, for the benchmark: stft (the transform and every feature read
    /// from it in the same pass), chroma_stft, cqt, cqt_chroma, mfcc, zcr, statistics.
    public var seconds: [String: Double]
}

/// The 518 features FMA published for every track (Defferrard et al., "FMA: A Dataset for
/// Music Analysis", ISMIR 2017; `features.py` in mdeff/fma), computed as librosa computes them.
///
/// Eleven features over frames of 2048 samples every 512, each summarised by seven statistics
/// (`FrameStatistics`), 74 rows x 7 = 518 values in the column order of `features.csv`:
/// - zcr: zero-crossing rate, frames of 2048 padded at the ends by edge copies.
/// - chroma_cqt, chroma_cens, tonnetz: from |CQT| with 84 bins, 12 per octave from C1, tuned
///   by `TuningEstimator` on the magnitude STFT (FMA passed `tuning=None`); tonnetz is taken of
///   chroma_cens, as FMA did.
/// - From one centred, reflect-padded, Hann STFT (n_fft 2048, hop 512), computed once:
///   chroma_stft (the power spectrogram, with its own tuning estimate), rmse, spectral
///   centroid, bandwidth, contrast (6 octave bands from 200 Hz, so 7 rows) and rolloff (85 %),
///   all from the magnitudes; mfcc: 20 coefficients of the dB of a 128-band Slaney mel
///   spectrogram of the power, at the true rate (FMA passed `sr` there).
///
/// `Variant.fma` keeps librosa 0.5's semantics as FMA ran it: chroma_stft and the spectral
/// shape features were called without a sample rate, so librosa took the bins to be at
/// 22050 Hz whatever the file's rate (at 44.1 kHz every frequency reads half its true value).
/// `Variant.corrected` uses the true rate everywhere (the contrast bands then need a rate of
/// at least 12.8 kHz; a band above Nyquist is left at zero).
///
/// The signal is mono at `sampleRate` (FMA decoded at each file's native rate). Silence and
/// clips shorter than a frame give finite numbers. A `Sendable` value: share one across
/// threads; each call makes its own FFT plans.
public struct FMAFeatureExtractor: Sendable {
    public enum Variant: String, Sendable, CaseIterable {
        case fma, corrected
    }

    public static let featureCount = 518

    /// The 518 columns of `features.csv`, in its order: feature, then statistic, then number,
    /// each sorted as pandas sorts FMA's MultiIndex.
    public static let columns: [FMAFeatureColumn] = FMAFeature.allCases.flatMap { feature in
        FrameStatistic.allCases.flatMap { statistic in
            (1...feature.size).map {
                FMAFeatureColumn(feature: feature.rawValue, statistic: statistic.rawValue,
                                 number: $0 < 10 ? "0\($0)" : "\($0)")
            }
        }
    }

    public let sampleRate: Int
    public let variant: Variant
    public let stft: ShortTimeFourierTransform
    public let constantQ: ConstantQTransform
    public let shape: SpectralShape
    public let melBank: MelFilterBank
    public let mfcc: MFCC

    public init(sampleRate: Int, variant: Variant = .fma) {
        precondition(sampleRate >= 9000, "the FMA features need a sample rate of at least 9 kHz (the CQT reaches B7, 3951 Hz), got \(sampleRate)")
        self.sampleRate = sampleRate
        self.variant = variant
        stft = ShortTimeFourierTransform(fftSize: 2048, hopLength: 512, center: true, padding: .reflect)
        constantQ = ConstantQTransform(sampleRate: sampleRate, hopLength: 512, binsPerOctave: 12, binCount: 84,
                                       padding: .reflect)
        shape = SpectralShape(sampleRate: variant == .fma ? 22050 : Double(sampleRate), fftSize: 2048)
        melBank = MelFilterBank(sampleRate: sampleRate, fftSize: 2048, bandCount: 128)
        mfcc = MFCC(bandCount: 128, coefficientCount: 20)
    }

    /// The rate the spectral shape features and chroma_stft take their bins to be at.
    public var spectralRate: Double { variant == .fma ? 22050 : Double(sampleRate) }

    /// The 518 values in `columns` order.
    public func compute(_ signal: [Float]) -> [Float] {
        summarize(frames(signal)).values
    }

    /// The statistics of every feature, in `columns` order; adds the time taken to `frames`.
    public func summarize(_ frames: FMAFeatureFrames) -> (values: [Float], seconds: [String: Double]) {
        let clock = ContinuousClock(), start = clock.now
        var out: [Float] = []
        out.reserveCapacity(Self.featureCount)
        for feature in FMAFeature.allCases {
            let matrix = frames.features[feature]!
            let stats = matrix.values.withUnsafeBufferPointer {
                FrameStatistics.columns(of: $0.baseAddress, frameCount: matrix.frameCount, columns: matrix.columns)
            }
            for statistic in FrameStatistic.allCases {
                for r in 0..<feature.size { out.append(stats[r][statistic]) }
            }
        }
        var seconds = frames.seconds
        seconds["statistics"] = inSeconds(clock.now - start)
        return (out, seconds)
    }

    /// Every feature per frame.
    public func frames(_ input: [Float]) -> FMAFeatureFrames {
        let clock = ContinuousClock()
        var seconds: [String: Double] = [:]
        var mark = clock.now
        func lap(_ name: String) {
            let now = clock.now
            seconds[name, default: 0] += inSeconds(now - mark)
            mark = now
        }
        // An empty clip is one silent sample: every feature then has one frame.
        let signal = input.isEmpty ? [0] : input
        var features: [FMAFeature: FrameMatrix] = [:]

        // One pass over the STFT: keep the power for chroma_stft, project the mel bands, and
        // measure everything that reads a single frame.
        let frameCount = stft.frameCount(forSampleCount: signal.count)
        let bins = stft.binCount
        let contrastRows = shape.contrastRowCount
        var rms = FrameMatrix(frameCount: frameCount, columns: 1)
        var centroid = rms, bandwidth = rms, rolloff = rms
        var constantQTuner = TuningEstimator(sampleRate: Double(sampleRate), fftSize: 2048)
        var chromaTuner = TuningEstimator(sampleRate: spectralRate, fftSize: 2048)
        var magnitude = [Float](repeating: 0, count: bins)
        // The pass writes every mel band, valley and peak of every frame, so their storage
        // starts uninitialized (as the power spectrogram's does).
        var power = FrameMatrix(frameCount: 0, columns: bins, values: [])
        // The zero crossings are counted a hop-sized block at a time (`ZeroCrossingRate`),
        // block t while frame t is transformed, with its samples still in cache; the rates
        // per 2048-sample frame are summed from the blocks at the end.
        var zcrBlocks = [Int](repeating: 0, count: ZeroCrossingRate.blockCount(sampleCount: signal.count,
                                                                               hopLength: stft.hopLength))
        precondition(zcrBlocks.count == frameCount, "one zero-crossing block per STFT frame")
        var valleys: [Double] = [], peaks: [Double] = []
        let melValues: [Float] = everyValueWritten(count: frameCount * melBank.bandCount) { melOut in
            valleys = everyValueWritten(count: frameCount * contrastRows) { valleysOut in
                peaks = everyValueWritten(count: frameCount * contrastRows) { peaksOut in
                    magnitude.withUnsafeMutableBufferPointer { m in
                        power = stft.powerSpectrogram(signal) { t, p, peak in
                            melBank.project(p, into: melOut + t * melBank.bandCount)
                            zcrBlocks[t] = signal.withUnsafeBufferPointer {
                                ZeroCrossingRate.blockCrossings($0, block: t, hopLength: stft.hopLength)
                            }
                            genre_square_roots(p.baseAddress!, m.baseAddress!, p.count)
                            let s = UnsafeBufferPointer(m)
                            // The square root keeps the order, so the magnitudes' peak is the
                            // root of the powers' peak, to the last bit.
                            constantQTuner.add(s, peak: peak.squareRoot())
                            chromaTuner.add(p, peak: peak)
                            let descriptors = shape.descriptors(s)
                            centroid.values[t] = Float(descriptors.centroid)
                            bandwidth.values[t] = Float(descriptors.bandwidth)
                            rolloff.values[t] = Float(descriptors.rolloff)
                            rms.values[t] = Float(descriptors.rms)
                            shape.contrastExtremes(s, valleys: valleysOut + t * contrastRows,
                                                   peaks: peaksOut + t * contrastRows)
                        }
                    }
                }
            }
        }
        var mel = FrameMatrix(frameCount: frameCount, columns: melBank.bandCount, values: melValues)
        features[.spectralCentroid] = centroid
        features[.spectralBandwidth] = bandwidth
        features[.spectralRolloff] = rolloff
        features[.rmse] = rms
        features[.spectralContrast] = FrameMatrix(
            frameCount: frameCount, columns: contrastRows,
            values: SpectralShape.contrast(valleys: valleys, peaks: peaks).map { Float($0) })
        lap("stft")

        // chroma_stft: the power projected with the tuning found in it.
        let chromaTuning = chromaTuner.tuning
        let bank = ChromaFilterBank(sampleRate: spectralRate, fftSize: 2048, tuning: chromaTuning)
        var chroma = bank.apply(power)
        Chroma.normalize(&chroma, norm: .infinity)
        features[.chromaSTFT] = chroma
        lap("chroma_stft")

        // MFCC of the dB mel spectrogram (80 dB below the clip's loudest band at most).
        Decibels.convert(&mel.values)
        features[.mfcc] = mfcc.apply(mel)
        lap("mfcc")

        // The constant-Q family.
        let constantQTuning = constantQTuner.tuning
        let cqt = constantQ.magnitudes(signal, tuning: constantQTuning)
        lap("cqt")
        features[.chromaCQT] = Chroma.fromConstantQ(cqt)
        let cens = Chroma.cens(fromConstantQ: cqt)
        features[.chromaCENS] = cens
        features[.tonnetz] = Chroma.tonnetz(cens)
        lap("cqt_chroma")

        let zcr = signal.withUnsafeBufferPointer {
            ZeroCrossingRate.rates($0, blockCrossings: zcrBlocks, frameLength: 2048, hopLength: stft.hopLength)
        }
        features[.zcr] = FrameMatrix(frameCount: zcr.count, columns: 1, values: zcr)
        lap("zcr")
        return FMAFeatureFrames(features: features, constantQTuning: constantQTuning,
                                chromaTuning: chromaTuning, seconds: seconds)
    }
}

/// An array of `count` values, every one of which `write` stores (so none is zeroed first).
private func everyValueWritten<Value>(count: Int, _ write: (UnsafeMutablePointer<Value>) -> Void) -> [Value] {
    [Value](unsafeUninitializedCapacity: count) { storage, initialized in
        write(storage.baseAddress!)
        initialized = count
    }
}

/// A duration in seconds, as a double.
private func inSeconds(_ duration: Duration) -> Double {
    let (s, attoseconds) = duration.components
    return Double(s) + Double(attoseconds) * 1e-18
}
