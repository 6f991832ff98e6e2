/// Every parameter of the pipeline, grouped as `config/default.toml` groups them.
///
/// The values of `GenreConfig.article` are the article's (Hermez et al., 2020) wherever it
/// gives one; `config/default.toml` spells out the same values, and a test keeps the two
/// equal. A config file only needs the keys it changes.
public struct GenreConfig: Codable, Equatable, Sendable {
    public var paths: Paths
    public var data: DataSettings
    public var audio: AudioSettings
    public var tfrecords: TFRecordSettings
    public var splits: SplitSettings
    public var training: TrainingSettings

    /// Where inputs and outputs live, relative to the working directory.
    public struct Paths: Codable, Equatable, Sendable {
        /// Inputs: the demo dataset is generated in `<data>/demo`.
        public var data: String
        /// Each step's outputs, one folder per step (`artifacts/02-wav`).
        public var artifacts: String
        /// The Markdown report and its figures.
        public var report: String
    }

    /// Which tracks to use, and the demo dataset's size.
    public struct DataSettings: Codable, Equatable, Sendable {
        /// FMA subset: `small`, `medium` or `large` (each contains the ones before it).
        public var subset: String
        /// Demo clips per genre; 1000 is FMA small's size.
        public var demoClipsPerGenre: Int
        /// Seed of the demo dataset: the same seed gives the same files.
        public var demoSeed: Int
        /// Nominal clip length of the demo, in seconds (FMA's clips are 30 s).
        public var demoClipSeconds: Double

        enum CodingKeys: String, CodingKey {
            case subset, demoClipsPerGenre = "demo_clips_per_genre", demoSeed = "demo_seed"
            case demoClipSeconds = "demo_clip_seconds"
        }
    }

    /// How MP3s become WAVs.
    public struct AudioSettings: Codable, Equatable, Sendable {
        /// Sample rate of every WAV, in Hz (the article kept FMA's 44100).
        public var sampleRate: Int
        /// A decoded clip shorter than this, in seconds, is marked `short` in the manifest.
        public var minSeconds: Double

        enum CodingKeys: String, CodingKey {
            case sampleRate = "sample_rate", minSeconds = "min_seconds"
        }
    }

    /// The record sets of step 03.
    public struct TFRecordSettings: Codable, Equatable, Sendable {
        /// Files per record set (article: `SHARDS = 16`).
        public var shards: Int
        /// Raw samples per example for the 1D CNN (article: `window_size = 10000`).
        public var windowSize: Int
        /// Raw samples behind one mel image (article: `length_size_2d = 50176` = 224 x 224).
        public var imageSamples: Int
        /// Image height, width and channels (article: `DATA_SIZE = (224, 224, 3)`, MobileNetV2's input).
        public var imageHeight: Int
        public var imageWidth: Int
        public var imageChannels: Int
        /// Seed of the file-list shuffle (article: 35155).
        public var shuffleSeed: Int
        /// Also write `mel2d-full/`: one image over (nearly) the whole clip, which the article
        /// did not try.
        public var fullClipImages: Bool
        /// Seconds of audio behind a whole-clip image (FMA's clips are 29.98 s or a little more).
        public var fullImageSeconds: Double

        enum CodingKeys: String, CodingKey {
            case shards, windowSize = "window_size", imageSamples = "image_samples"
            case imageHeight = "image_height", imageWidth = "image_width", imageChannels = "image_channels"
            case shuffleSeed = "shuffle_seed", fullClipImages = "full_clip_images"
            case fullImageSeconds = "full_image_seconds"
        }
    }

    /// Train / validation / test (article: 20 % of shards for test, then 20 % of the rest for
    /// validation: 64 / 16 / 20).
    public struct SplitSettings: Codable, Equatable, Sendable {
        /// `shards`: whole shard files, as the article splits; `fma`: FMA's official
        /// artist-filtered split carried from `tracks.csv`.
        public var strategy: String
        public var testFraction: Double
        public var validationFraction: Double

        enum CodingKeys: String, CodingKey {
            case strategy, testFraction = "test_fraction", validationFraction = "validation_fraction"
        }
    }

    /// Shared by every trained model.
    public struct TrainingSettings: Codable, Equatable, Sendable {
        /// Examples per batch (article: 32 on GPU).
        public var batchSize: Int
        /// Seed of weight initialisation and batch order (article: `tf.random.set_seed(42)`).
        public var seed: Int

        enum CodingKeys: String, CodingKey {
            case batchSize = "batch_size", seed
        }
    }

    /// The article's parameters, and a demo dataset small enough for `make report` to run in
    /// about a quarter of an hour on two cores.
    public static let article = GenreConfig(
        paths: Paths(data: "data", artifacts: "artifacts", report: "report"),
        data: DataSettings(subset: "small", demoClipsPerGenre: 50, demoSeed: 2017, demoClipSeconds: 30),
        audio: AudioSettings(sampleRate: 44100, minSeconds: 20),
        tfrecords: TFRecordSettings(
            shards: 16, windowSize: 10000, imageSamples: 50176,
            imageHeight: 224, imageWidth: 224, imageChannels: 3, shuffleSeed: 35155,
            fullClipImages: true, fullImageSeconds: 29.5),
        splits: SplitSettings(strategy: "shards", testFraction: 0.2, validationFraction: 0.2),
        training: TrainingSettings(batchSize: 32, seed: 42))
}
