import Foundation
import Neural
import Spectral
import TensorBundle

/// A step 07 head on MobileNetV2's embeddings of mel images (`artifacts/07-transfer/mobilenet_v2/
/// head.index` on the article's image, `head-mobilenet_v2_full.index` on the whole-clip image)
/// as a predictor.
///
/// Step 07 trained each head on the images step 03 wrote: `RecordBuilder.image` (the mel image
/// of a clip's first `tfrecords.image_samples` samples, 50176 or 1.14 s at 44.1 kHz) or
/// `RecordBuilder.fullImage` (one image over `tfrecords.full_image_seconds`), rendered from the
/// mono audio at `audio.sample_rate`, then embedded by MobileNetV2 with ImageNet's weights
/// (1280 values). Here the song, resampled to that rate as step 02 resamples, is cut into
/// windows of exactly the samples one image covers; each window is rendered by the same
/// `MelImage`, embedded by the same network and scored by the head (`TransferHead`), and the
/// softmax is averaged over the windows.
///
/// Step 07 does not save MobileNetV2 itself: it is frozen and read from the user's TF-slim
/// checkpoint (`transfer.mobilenet_checkpoint`), which the predictor needs as well.
public struct MobileNetHeadPredictor: GenrePredictor {
    public let name: String
    public let classes: [String]
    /// The image step 03 rendered for this head's record set.
    public let image: MelImage
    /// At most this many windows, spread over the song.
    public let maxWindows: Int
    private let base: MobileNetV2
    private let head: TransferHead

    /// - Parameters:
    ///   - head: the prefix step 07 wrote (`.../07-transfer/mobilenet_v2/head`).
    ///   - base: MobileNetV2 with the weights the head was trained on, shared by the heads.
    ///   - image: the image of the head's record set, from `RecordBuilder(config:classCount:)`
    ///     under the configuration steps 03 and 07 ran with.
    ///   - maxWindows: the article's image covers 1.14 s, so a 3-minute song holds about 150;
    ///     64 spread over it, as for the raw-audio CNN's windows.
    /// - Throws: `TensorBundleError` naming the file and the tensor when the head's checkpoint
    ///   is missing, damaged, or holds a head of another size.
    public init(head prefix: String, base: MobileNetV2, image: MelImage, name: String, classes: [String],
                maxWindows: Int = 64) throws {
        head = try TransferHead(prefix: prefix, classCount: classes.count, inputSizes: [MobileNetV2.embeddingSize])
        self.base = base
        self.image = image
        self.name = name
        self.classes = classes
        self.maxWindows = maxWindows
    }

    /// The rate, in Hz, the image's mel filter bank was built for.
    public var sampleRate: Int { image.mel.filterBank.sampleRate }

    public func predict(_ song: SongAnalysis) throws -> SongPrediction {
        let windows = try song.windows(at: sampleRate, length: image.samples, maxCount: maxWindows)
        // A window shorter than the image's span (a short song) is padded with silence by
        // `render`, as step 03 pads a whole-clip image.
        let images = windows.flatMap { image.render(Array($0)) }
        let embeddings = try base.embed(Tensor(shape: [windows.count, image.height, image.width, image.channels], values: images))
        let size = MobileNetV2.embeddingSize
        let rows = (0..<windows.count).map { row in
            head.probabilities(Array(embeddings.values[(row * size)..<((row + 1) * size)]))
        }
        return SongPrediction(model: name, classes: classes, perWindow: rows, calibrated: true)
    }
}

extension MobileNetHeadPredictor {
    /// Every MobileNetV2 head step 07 saved under `workspace` that can run here, and a sentence
    /// for each one that cannot, saying why (for `genre-predict`'s "Not used" line).
    ///
    /// A head runs when its checkpoint, MobileNetV2's ImageNet checkpoint
    /// (`transfer.mobilenet_checkpoint`) and the configuration's image for its record set are
    /// all there, and the configuration renders the images step 03 rendered (same rate and
    /// image shape as `records.json` says). Nothing is said about MobileNetV2 when it is in
    /// neither `transfer.bases` nor the artifacts.
    /// - Parameter classes: label order, read only when a head is there to use it.
    public static func loadAll(in workspace: Workspace, classes: () throws -> [String],
                               maxWindows: Int = 64) throws -> (predictors: [MobileNetHeadPredictor], unused: [String]) {
        let config = workspace.config
        let base = TransferHead.mobileNetBase
        let folder = workspace.folder(.transfer).appendingPathComponent(base)
        // Resolved as step 07 resolves it: against the workspace's root.
        let configured = config.transfer.mobilenetCheckpoint
        let checkpoint = configured.hasPrefix("/") ? configured : workspace.root.appendingPathComponent(configured).path
        let expected: [RecordSet] = config.tfrecords.fullClipImages ? [.mel2d, .mel2dFull] : [.mel2d]
        let heads = [RecordSet.mel2d, .mel2dFull].map { set in
            let variant = TransferHead.mobileNetVariant(of: set)
            return (set: set, variant: variant,
                    prefix: folder.appendingPathComponent(TransferHead.checkpointName(base: base, variant: variant)).path)
        }
        let saved = heads.filter { FileManager.default.fileExists(atPath: $0.prefix + ".index") }
        guard !saved.isEmpty else {
            let wanted = ModelCatalog.transferBases(config).contains(base)
            guard wanted || FileManager.default.fileExists(atPath: folder.path) else { return ([], []) }
            return ([], ["the MobileNetV2 heads (no head.index in \(folder.path): step 07 trains them once "
                         + "MobileNetV2's ImageNet checkpoint is at \(checkpoint); README.md says where to get it)"])
        }
        var unused = heads.filter { head in expected.contains(head.set) && !saved.contains { $0.variant == head.variant } }.map {
            "the MobileNetV2 head \($0.variant) (no \(($0.prefix as NSString).lastPathComponent).index in \(folder.path); run step 07 again)"
        }
        guard FileManager.default.fileExists(atPath: checkpoint + ".index") else {
            return ([], unused + ["the MobileNetV2 heads (they need the frozen MobileNetV2 they were trained on, "
                                  + "TF-slim's ImageNet checkpoint, which is not at \(checkpoint).index; README.md says where to get it)"])
        }
        if let records = try? RecordsManifest.load(from: workspace) {
            let shape = [config.tfrecords.imageHeight, config.tfrecords.imageWidth, config.tfrecords.imageChannels]
            guard records.sampleRate == config.audio.sampleRate, records.imageShape == shape else {
                return ([], unused + ["the MobileNetV2 heads (step 03 rendered their images at \(records.sampleRate) Hz, "
                                      + "\(records.imageShape), but this configuration says \(config.audio.sampleRate) Hz, "
                                      + "\(shape); pass the configuration `make report` ran with)"])
            }
        }
        let titles = (try? StepResults.read(from: folder.appendingPathComponent("results.json")))
            .map { Dictionary($0.models.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first }) } ?? [:]
        let network: MobileNetV2
        do {
            network = try MobileNetV2(checkpoint: TensorBundleReader(prefix: checkpoint))
        } catch {
            return ([], unused + ["the MobileNetV2 heads (\(error))"])
        }
        let classNames = try classes()
        let builder = RecordBuilder(config: config, classCount: classNames.count)
        var predictors: [MobileNetHeadPredictor] = []
        for head in saved {
            guard let image = head.set == .mel2dFull ? builder.fullImage : builder.image else {
                unused.append("the MobileNetV2 head \(head.variant) (tfrecords.full_clip_images is off in this configuration, "
                              + "so the whole-clip image it was trained on is not defined)")
                continue
            }
            do {
                predictors.append(try MobileNetHeadPredictor(head: head.prefix, base: network, image: image,
                                                             name: titles[head.variant] ?? head.variant,
                                                             classes: classNames, maxWindows: maxWindows))
            } catch {
                unused.append("the MobileNetV2 head \(head.variant) (\(error))")
            }
        }
        return (predictors, unused)
    }
}
