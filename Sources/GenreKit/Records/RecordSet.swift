import Spectral
import TFRecord

/// The record sets step 03 writes, each a folder of shards `songsNN-COUNT.tfrec`.
public enum RecordSet: String, CaseIterable, Sendable, Codable {
    /// The article's 1D input: the first `window_size` raw samples.
    case raw1d
    /// The article's 2D input: a 224 x 224 x 3 mel image of the first 50176 samples.
    case mel2d
    /// Beyond the article: one mel image over the whole clip.
    case mel2dFull = "mel2d-full"
    /// The FMA 518-feature vector of each clip (`FMAFeatureExtractor`), in the column order of
    /// FMA's `features.csv`.
    case features
}

/// The keys of every Example. The first three are the article's, so that its own
/// `read_tfrecord_1d` parses our shards; `track_id` is ours, and lets every later step check
/// that no track sits in two splits.
public enum RecordKey {
    public static let song = "song"
    public static let label = "class"
    public static let oneHot = "one_hot_class"
    public static let spectrogram = "spectrogram"
    public static let trackID = "track_id"
    /// The 518 features of a clip, in the column order of FMA's `features.csv`.
    public static let features = "features"
}

/// Builds the Examples of each record set from a clip's mono samples.
public struct RecordBuilder: Sendable {
    public let classCount: Int
    public let windowSize: Int
    /// The article's image: `image_samples` samples (50176) behind `image_width` frames.
    public let image: MelImage
    /// The whole-clip image, when configured.
    public let fullImage: MelImage?
    /// The FMA feature set at the configured rate, with `features.variant`'s semantics.
    public let featureExtractor: FMAFeatureExtractor

    public init(config: GenreConfig, classCount: Int) {
        let t = config.tfrecords
        let rate = config.audio.sampleRate
        self.classCount = classCount
        windowSize = t.windowSize
        image = MelImage(height: t.imageHeight, width: t.imageWidth, channels: t.imageChannels,
                         samples: t.imageSamples, sampleRate: rate)
        if t.fullClipImages {
            let samples = Int(t.fullImageSeconds * Double(rate))
            // Frames hop far apart over a whole clip; a frame at least as long as the hop
            // leaves no sample unseen.
            let hop = samples / t.imageWidth
            var fftSize = 2048
            while fftSize < hop { fftSize *= 2 }
            fullImage = MelImage(height: t.imageHeight, width: t.imageWidth, channels: t.imageChannels,
                                 samples: samples, sampleRate: rate, fftSize: fftSize)
        } else {
            fullImage = nil
        }
        featureExtractor = FMAFeatureExtractor(
            sampleRate: rate, variant: config.features.variant == "corrected" ? .corrected : .fma)
    }

    /// The sets this configuration writes.
    public var sets: [RecordSet] { fullImage == nil ? [.raw1d, .mel2d, .features] : [.raw1d, .mel2d, .mel2dFull, .features] }

    /// Samples a clip needs for every set: the longest of the window and the article's image.
    /// (The whole-clip image pads a clip shorter than its span with silence.)
    public var requiredSamples: Int { max(windowSize, image.samples) }

    /// The label features shared by every set.
    public func labelFeatures(label: Int, trackID: Int) -> [String: Feature] {
        precondition((0..<classCount).contains(label), "label \(label) outside 0..<\(classCount)")
        var oneHot = [Float](repeating: 0, count: classCount)
        oneHot[label] = 1
        return [RecordKey.label: .int64([Int64(label)]), RecordKey.oneHot: .float(oneHot),
                RecordKey.trackID: .int64([Int64(trackID)])]
    }

    /// One Example of `set` for a clip.
    /// - Parameter samples: the clip, mono, at the configured rate; at least `requiredSamples`.
    public func example(_ set: RecordSet, samples: [Float], label: Int, trackID: Int) -> Example {
        var features = labelFeatures(label: label, trackID: trackID)
        switch set {
        case .raw1d:
            features[RecordKey.song] = .float(Array(samples.prefix(windowSize)))
        case .mel2d:
            features[RecordKey.spectrogram] = .float(image.render(samples))
        case .mel2dFull:
            features[RecordKey.spectrogram] = .float(fullImage!.render(samples))
        case .features:
            features[RecordKey.features] = .float(featureExtractor.compute(samples))
        }
        return Example(features: features)
    }
}
