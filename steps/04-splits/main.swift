// Step 04: Split into training, validation and test
//
// The article splits at the file level: 20 % of the shard files for test, then 20 % of the
// rest for validation, 64 / 16 / 20 in all, so that each split is a list of files tf.data
// reads in parallel. We do the same, and offer FMA's official split as well
// (`--split fma`), which keeps each artist in one split: with the article's split, songs of
// one artist land in training and test alike, and the test score flatters the model.
// Either way we read every record's track id back from the shards and check that no track
// sits in two splits.
//   reads   artifacts/03-tfrecords/records.json and the raw1d shards
//   writes  artifacts/04-splits/splits.json
//   run     swift run step04-splits [--split shards|fma] [--skip-corrupt]

import ArgumentParser
import Foundation
import GenreKit
import TFRecord

struct Step04Splits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step04-splits", abstract: "Split the shards into training, validation and test, and check them.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "shards: whole shard files, as the article; fma: FMA's official artist-filtered split (config: splits.strategy).")
    var split: String?

    @Flag(help: "Skip damaged records while checking the shards (counting them), as tf.data's ignore_errors() does.")
    var skipCorrupt = false

    func run() throws {
        var options = options
        if let split { options.set.append("splits.strategy=\(split)") }
        let config = try options.load()
        let workspace = Workspace(config: config)
        let records = try RecordsManifest.load(from: workspace)

        // MARK: - 1. Split
        // Shards: the shard indices are shuffled (seed 42, the article's) and dealt out,
        // rounding the held-out counts up as scikit-learn's train_test_split does.
        let splits: DataSplits
        if config.splits.strategy == "fma" {
            splits = try DataSplits.official(records, tracks: try TrackList.read(in: workspace).tracks)
            print("1. FMA's official split (artist-filtered), read from tracks.csv; every shard is read, each record goes to its track's split.")
        } else {
            splits = try DataSplits.byShards(records, testFraction: config.splits.testFraction,
                                             validationFraction: config.splits.validationFraction,
                                             seed: UInt64(config.training.seed))
            print("1. The article's split by shard file: \(DataSplits.Name.allCases.map { "\(splits[$0].shards.count) \($0.rawValue)" }.joined(separator: ", ")) of \(records.shardTracks.count) files.")
        }

        // MARK: - 2. Check the shards against the plan
        // Every record of the raw set carries its track id and class: they must be the tracks
        // and labels records.json promises, shard by shard. A damaged record stops the step
        // with its file and index, unless --skip-corrupt.
        let tfrecords = workspace.folder(.tfrecords)
        let raw = records.sets[RecordSet.raw1d.rawValue] ?? []
        var found = 0
        var damaged: [TFRecordError] = []
        for (index, file) in raw.enumerated() {
            let path = tfrecords.appendingPathComponent("raw1d/\(file.name)").path
            let reader = try TFRecordReader(path: path, options: .init(skipCorrupt: skipCorrupt))
            var ids: [Int] = []
            while let example = try reader.nextExample() {
                guard let id = example[RecordKey.trackID]?.int64Values?.first,
                      let label = example[RecordKey.label]?.int64Values?.first,
                      records.labels[String(id)] == Int(label) else {
                    throw SplitError.mismatch(file: path, reason: "record \(reader.recordsRead - 1) has a track id or class not in the plan")
                }
                ids.append(Int(id))
            }
            damaged += reader.skipped
            let planned = records.shardTracks[index]
            guard reader.skipped.isEmpty ? ids == planned : Set(ids).isSubset(of: planned) else {
                throw SplitError.mismatch(file: path, reason: "its tracks differ from the plan's shard \(index)")
            }
            found += ids.count
        }
        for error in damaged { print("   skipped: \(error)") }
        let overlaps = splits.overlaps
        guard overlaps.isEmpty else { throw SplitError.overlap(trackIDs: overlaps.sorted()) }
        print("2. Read back \(found) records from \(raw.count) raw1d shards (\(damaged.count) damaged, skipped): every track where the plan put it, none in two splits.")

        // MARK: - 3. Tracks per split and class
        let names = DataSplits.Name.allCases
        let total = names.reduce(0) { $0 + splits[$1].records }
        var rows = splits.classes.enumerated().map { label, genre in [genre] + names.map { String(splits[$0].perClass[label]) } }
        rows.append(["all"] + names.map { name in
            String(format: "%d (%.0f %%)", splits[name].records, 100 * Double(splits[name].records) / Double(max(total, 1)))
        })
        print("3. Tracks per split and class:")
        print(TextTable(header: ["genre"] + names.map(\.rawValue), rows: rows).rendered
            .split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))

        try AtomicFile.writeJSON(splits, to: DataSplits.url(in: workspace))
        print("4. Wrote \(DataSplits.url(in: workspace).path).")
        print("   The article: 64 / 16 / 20 % by shard file, with no check that an artist stays in one split.")
        try StepCost.record(.splits, in: workspace, items: found, unit: "records")
    }
}

lineBufferStandardOutput()
Step04Splits.main()
