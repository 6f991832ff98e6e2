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
    public var features: FeatureSettings
    public var classical: ClassicalSettings
    public var cnn: CNNSettings
    public var transfer: TransferSettings

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

    /// The FMA 518-feature set (step 03's `features/` records, `genre-features`).
    public struct FeatureSettings: Codable, Equatable, Sendable {
        /// `fma`: librosa 0.5's semantics as FMA ran it (the spectral features assume 22050 Hz
        /// whatever the file's rate), so that our numbers and `features.csv` are interchangeable;
        /// `corrected`: the true sample rate everywhere.
        public var variant: String

        enum CodingKeys: String, CodingKey { case variant }
    }

    /// Step 05: the classical models on the feature records.
    public struct ClassicalSettings: Codable, Equatable, Sendable {
        /// `ours`: the `features/` record set of step 03; `fma-csv`: FMA's own
        /// `fma_metadata/features.csv`, as the article used.
        public var source: String
        /// Resamples of the test set behind each 95 % bootstrap interval.
        public var bootstrapSamples: Int

        enum CodingKeys: String, CodingKey { case source, bootstrapSamples = "bootstrap_samples" }
    }

    /// Step 06: the article's raw-audio 1D CNN.
    public struct CNNSettings: Codable, Equatable, Sendable {
        /// Passes over the training shards (article: 100; the default fits `make report`'s budget).
        public var epochs: Int
        /// Adam's learning rate (Keras's default, 1e-3).
        public var learningRate: Double
        /// Stop when validation loss has not improved for this many epochs, restoring the best
        /// weights; 0 trains every epoch, as the article did.
        public var patience: Int
        /// Also train a second model on random windows from anywhere in the clip, predicting a
        /// clip by averaging over its windows (not in the article).
        public var crops: Bool

        enum CodingKeys: String, CodingKey {
            case epochs, learningRate = "learning_rate", patience, crops
        }
    }

    /// Step 07: a frozen pretrained base network and a dense head trained on its embeddings.
    public struct TransferSettings: Codable, Equatable, Sendable {
        /// Base networks to try, comma-separated: `musicnn` (trained on music, built in after
        /// `make setup`), `mobilenet_v2` (the article's, ImageNet weights the user downloads).
        public var bases: String
        /// Passes over the training embeddings, at most.
        public var epochs: Int
        /// Early stopping on validation loss, best weights restored.
        public var patience: Int
        /// Units of the head's hidden dense layer, and its dropout rate.
        public var hiddenUnits: Int
        public var dropout: Double
        /// Where `make setup` unpacks musicnn's MSD checkpoint (prefix of `.index` and `.data-*`).
        public var musicnnCheckpoint: String
        /// Where the user puts TF-slim's `mobilenet_v2_1.0_224` checkpoint (prefix).
        public var mobilenetCheckpoint: String

        enum CodingKeys: String, CodingKey {
            case bases, epochs, patience, hiddenUnits = "hidden_units", dropout
            case musicnnCheckpoint = "musicnn_checkpoint", mobilenetCheckpoint = "mobilenet_checkpoint"
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
        training: TrainingSettings(batchSize: 32, seed: 42),
        features: FeatureSettings(variant: "fma"),
        classical: ClassicalSettings(source: "ours", bootstrapSamples: 1000),
        cnn: CNNSettings(epochs: 20, learningRate: 0.001, patience: 0, crops: true),
        transfer: TransferSettings(
            bases: "musicnn,mobilenet_v2", epochs: 60, patience: 8, hiddenUnits: 256, dropout: 0.5,
            musicnnCheckpoint: "models/musicnn/MSD_musicnn/",
            mobilenetCheckpoint: "models/mobilenet_v2_1.0_224/mobilenet_v2_1.0_224.ckpt"))
}
