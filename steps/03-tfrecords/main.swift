// Step 03: Pack the audio into TFRecord shards
//
// The article shuffles the clips (seed 35155) and writes SHARDS = 16 files of
// tf.train.Example records, ceil(n / 16) songs each, named songsNN-COUNT.tfrec. Sharding was
// its main lesson: I/O, not training, was the bottleneck, and many files read in parallel fix
// it. We write the same layout, byte for byte TensorFlow's format, in four record sets:
// the raw window for the 1D CNN, the mel image for MobileNetV2, (beyond the article) one
// mel image over the whole clip, and FMA's 518 features for the classical models. Every set
// shares one shard plan, so shard k holds the same tracks in each, and a split of shard files
// applies to all of them.
//   reads   artifacts/01-metadata/tracks.csv, artifacts/02-wav/ (WAVs and manifests)
//   writes  artifacts/03-tfrecords/{raw1d,mel2d,mel2d-full,features}/songsNN-COUNT.tfrec,
//           records.json, spectrograms/<genre>.png
//   run     swift run -c release step03-tfrecords [--worker I --workers N] [--rewrite]

import ArgumentParser
import AudioIO
import Foundation
import GenreKit
import Spectral
import TFRecord

struct Step03TFRecords: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step03-tfrecords",
        abstract: "Write the raw-audio, mel-spectrogram and feature record sets as sharded TFRecord files.")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var share: WorkerOptions

    @Flag(help: "Write this worker's shards again even where they are on disk, as after a code change (make passes it when it reruns the step).")
    var rewrite = false

    func run() throws {
        let config = try options.load()
        let workspace = Workspace(config: config)
        let (tracks, classes) = try TrackList.read(in: workspace)
        let manifest = try WavManifest.readAll(in: workspace.folder(.wav))
        let builder = RecordBuilder(config: config, classCount: classes.count)
        let wavFolder = workspace.folder(.wav)

        // MARK: - 1. Choose the clips
        // Only clips that step 02 converted in full: the broken and the short ones were recorded
        // there with their reason. A clip must hold the article's image span (50176 samples).
        var skipped: [String: Int] = [:]
        var chosen: [TrackEntry] = []
        for track in tracks {
            guard let entry = manifest[track.id] else { skipped["not converted", default: 0] += 1; continue }
            guard entry.status == .ok else { skipped[entry.status.rawValue, default: 0] += 1; continue }
            let samples = Int(entry.seconds * Double(config.audio.sampleRate))
            guard samples >= builder.requiredSamples else { skipped["under \(builder.requiredSamples) samples", default: 0] += 1; continue }
            chosen.append(track)
        }
        let usable = chosen
        print("1. \(usable.count) of \(tracks.count) clips go into records; left out: \(describe(skipped)).")
        guard !usable.isEmpty else { throw ValidationError("No converted clip to write; run step 02 first.") }

        // MARK: - 2. Plan the shards
        // The list is shuffled with the article's seed, then cut into `shards` files of
        // ceil(n / shards) records. (Our shuffle is our own seeded generator: the same seed
        // cannot reproduce NumPy's order, but gives the same order on every machine.) The plan
        // goes to records.json first; every worker computes the same one.
        let shardCount = min(config.tfrecords.shards, usable.count)
        let plan = try ShardPlan(recordCount: usable.count, shardCount: shardCount,
                                 seed: UInt64(config.tfrecords.shuffleSeed))
        let records = RecordsManifest(
            classes: classes,
            sets: Dictionary(uniqueKeysWithValues: builder.sets.map { set in
                (set.rawValue, plan.shards.map { RecordsManifest.ShardFile(name: $0.fileName, records: $0.recordIndices.count) })
            }),
            shardTracks: plan.shards.map { shard in shard.recordIndices.map { usable[$0].id } },
            labels: Dictionary(uniqueKeysWithValues: usable.map { (String($0.id), $0.label) }),
            skipped: skipped, sampleRate: config.audio.sampleRate, windowSize: config.tfrecords.windowSize,
            imageShape: [config.tfrecords.imageHeight, config.tfrecords.imageWidth, config.tfrecords.imageChannels],
            shuffleSeed: config.tfrecords.shuffleSeed)
        // Shards of an earlier, different plan (other clips, seed or settings) are stale.
        if let previous = try? RecordsManifest.load(from: workspace), previous != records {
            for set in RecordSet.allCases { try? FileManager.default.removeItem(at: RecordsManifest.folder(of: set, in: workspace)) }
        }
        try AtomicFile.writeJSON(records, to: RecordsManifest.url(in: workspace))
        print("2. \(plan.shards.count) shards of up to \(plan.recordsPerShard) records, shuffled with seed \(config.tfrecords.shuffleSeed); plan in \(RecordsManifest.url(in: workspace).path).")

        // MARK: - 3. Write each record set
        // Each set is written on all cores. Worker I of N writes shards I, I + N, ..., and a
        // shard already on disk is complete (written under a temporary name, then renamed), so
        // an interrupted run resumes where it stopped. A shard on disk holds the records of the
        // build that wrote it, so after a code change `--rewrite` writes them all again.
        //
        // The `features` set holds what the article's classical models were fed: FMA's 518
        // numbers per clip (11 librosa features over 2048-sample frames, each summarised by 7
        // statistics, in the column order of FMA's features.csv), under the key `features`.
        // FMA computed them at each file's native rate; we take step 02's WAV at
        // audio.sample_rate, which is FMA's usual 44.1 kHz by default, so that every clip is
        // measured on the same frequency grid. features.variant = "fma" keeps librosa 0.5's
        // semantics as FMA ran it (chroma_stft and the spectral shape features read the bins as
        // if the audio were at 22050 Hz); "corrected" uses the true rate.
        let extractor = builder.featureExtractor
        print("3. features: \(FMAFeatureExtractor.featureCount) values per clip at \(extractor.sampleRate) Hz, variant '\(extractor.variant.rawValue)'"
              + (extractor.variant == .fma ? " (spectral features as if at 22050 Hz, as FMA's)." : " (true rate throughout)."))
        let mine = Set(plan.shards.map(\.index).filter(share.owns))
        for set in builder.sets {
            let folder = RecordsManifest.folder(of: set, in: workspace)
            let missing = rewrite ? mine : mine.filter { index in
                !FileManager.default.fileExists(atPath: folder.appendingPathComponent(plan.shards[index].fileName).path)
            }
            guard !missing.isEmpty else {
                print("3. \(set.rawValue): all \(mine.count) of this worker's shards already written.")
                continue
            }
            let count = missing.reduce(0) { $0 + plan.shards[$1].recordIndices.count }
            let writer = ShardedWriter(directory: folder.path, shardCount: shardCount,
                                       seed: UInt64(config.tfrecords.shuffleSeed))
            let progress = ProgressBar("   \(set.rawValue)", total: count)
            let written = try writer.writeConcurrently(recordCount: usable.count, only: missing) { index in
                let track = usable[index]
                let audio = try SoundFile.read(contentsOf: WavManifest.wavURL(in: wavFolder, trackID: track.id))
                defer { progress.advance() }
                return builder.example(set, samples: audio.channels[0], label: track.label, trackID: track.id)
            }
            let seconds = progress.finish()
            let bytes = written.reduce(0) { $0 + $1.byteCount }
            print(String(format: "3. %@: %d records in %d files, %.1f MB, %.1f s (%.0f records/s).",
                         set.rawValue, count, written.count, Double(bytes) / 1e6, seconds,
                         Double(count) / max(seconds, 1e-9)))
        }

        // MARK: - 4. Check the files against the plan
        let incomplete = builder.sets.flatMap { set in
            plan.shards.map { RecordsManifest.folder(of: set, in: workspace).appendingPathComponent($0.fileName).path }
        }.filter { !FileManager.default.fileExists(atPath: $0) }
        print(incomplete.isEmpty
              ? "4. Every shard of every set is on disk."
              : "4. \(incomplete.count) shards are other workers' and not written yet.")

        // MARK: - 5. Look at the spectrograms
        // One clip per genre, as the mel image the network sees: low bands at the bottom,
        // colour in dB below the image's loudest cell.
        let pictures = workspace.folder(.tfrecords).appendingPathComponent("spectrograms")
        try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
        for (label, genre) in classes.enumerated() {
            guard let track = usable.first(where: { $0.label == label }) else { continue }
            let audio = try SoundFile.read(contentsOf: WavManifest.wavURL(in: wavFolder, trackID: track.id))
            for (image, suffix, span) in [(builder.image, "", "first \(builder.image.samples) samples"),
                                          (builder.fullImage, "-full", "whole clip")] {
                guard let image else { continue }
                let figure = try image.figure(of: image.render(audio.channels[0]), sampleRate: config.audio.sampleRate,
                                              title: "\(genre), track \(track.id) (\(span))")
                let url = pictures.appendingPathComponent("\(fileName(genre))\(suffix).png")
                try AtomicFile.write(to: url) { try figure.write(to: $0) }
            }
        }
        print("5. Spectrogram pictures: \(pictures.path)/")
        print("   The article: 16 shards of 500 songs each for 8000 clips; TensorFlow reads ours as they are.")
        try StepCost.record(.tfrecords, in: workspace, items: usable.count, unit: "clips")
    }

    private func describe(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }

    /// A genre name as a file name: `Hip-Hop` stays, `Old-Time / Historic` becomes `Old-Time-Historic`.
    private func fileName(_ genre: String) -> String {
        genre.split { !$0.isLetter && !$0.isNumber && $0 != "-" }.joined(separator: "-")
    }
}

lineBufferStandardOutput()
Step03TFRecords.main()
