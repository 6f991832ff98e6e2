// Step 00: The data, real or demo
//
// The article downloads FMA's `fma_metadata.zip` and `fma_small.zip` (8000 clips of 30 s,
// eight genres) into Google Drive. We work from a local folder: an FMA download (`--fma DIR`
// or the FMA_DIR variable), any collection kept as one folder per genre (`--folders DIR`),
// or, given neither, a synthetic demo written in FMA's exact layout, its faults included, so
// that every later step runs unchanged on a fresh machine with nothing to download.
//   reads   FMA_DIR or --fma DIR, --folders DIR, or nothing
//   writes  data/demo/ (the demo), artifacts/00-data/source.json and inventory.txt
//   run     swift run step00-data [--fma ~/fma | --folders ~/music] [--clips-per-genre 1000]

import ArgumentParser
import Foundation
import GenreKit

struct Step00Data: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step00-data",
        abstract: "Check an FMA download or a folder-per-genre collection, or generate the demo dataset.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "An FMA download: fma_metadata/ and fma_<subset>/ inside (default: $FMA_DIR).")
    var fma: String?

    @Option(help: "A collection laid out as DIR/<genre>/<file> (mp3, wav, flac, ogg, au).")
    var folders: String?

    @Option(help: "Demo clips per genre (config: data.demo_clips_per_genre; 1000 is FMA small's size).")
    var clipsPerGenre: Int?

    func run() throws {
        var overrides = options
        if let clipsPerGenre { overrides.set.append("data.demo_clips_per_genre=\(clipsPerGenre)") }
        let config = try overrides.load()
        let workspace = Workspace(config: config)
        let subset = FMASubset(rawValue: config.data.subset)!

        // MARK: - 1. Choose the data
        // An explicit flag wins over the environment; with no source at all we make the demo.
        let fmaRoot = fma ?? ProcessInfo.processInfo.environment["FMA_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        guard fmaRoot == nil || folders == nil else {
            throw ValidationError("Give either an FMA download (--fma or FMA_DIR) or --folders, not both.")
        }
        let source: DataSource
        if let fmaRoot {
            source = DataSource(kind: .fma, root: absolute(fmaRoot), subset: subset)
            print("1. Data: the FMA download in \(source.root), subset '\(subset.rawValue)'.")
        } else if let folders {
            source = DataSource(kind: .folders, root: absolute(folders), subset: .small)
            print("1. Data: the folder-per-genre collection in \(source.root).")
        } else {
            source = DataSource(kind: .demo, root: workspace.demoFolder.path, subset: .small)
            print("1. Data: no FMA download given (--fma or FMA_DIR), so the synthetic demo in \(source.root).")
        }

        // MARK: - 2. Synthesize the demo
        // Eight genres, each with its own tempo, rhythm, instruments and harmony, and random
        // variation per clip so that the genres overlap as real ones do. Written as MP3 in FMA's
        // layout with FMA's faults: mixed sample rates, mono and stereo, CBR and VBR, ID3 tags,
        // three clips with no audio and three far too short.
        var synthesized = 0
        if source.kind == .demo {
            let demo = DemoDataset(clipsPerGenre: config.data.demoClipsPerGenre,
                                   seed: UInt64(config.data.demoSeed), clipSeconds: config.data.demoClipSeconds)
            let clipCount = demo.clipsPerGenre * DemoGenre.all.count
            if demo.isComplete(at: source.rootURL) {
                print("2. The demo (\(clipCount) clips, seed \(demo.seed)) is already complete; nothing to do.")
            } else {
                print("2. Synthesizing \(clipCount) clips of \(demo.clipSeconds) s on \(ProcessInfo.processInfo.activeProcessorCount) cores...")
                let progress = ProgressBar("   synthesizing", total: clipCount)
                let tracks = try demo.write(to: source.rootURL, progress: progress)
                let seconds = progress.finish()
                print("   \(tracks.count) metadata rows, \(clipCount) MP3s in \(String(format: "%.1f", seconds)) s.")
                synthesized = clipCount
            }
        } else {
            print("2. Real data: nothing to synthesize.")
        }

        // MARK: - 3. Take the inventory
        // Tracks per genre and subset, and whether each promised audio file is on disk. FMA's
        // `genre_top` is empty for tracks with several root genres; those cannot be labelled.
        let inventory = source.kind == .folders
            ? try DatasetInventory.folders(source.rootURL)
            : try DatasetInventory.fma(source)
        let table = inventory.table(subsets: source.kind == .folders ? [.small] : FMASubset.allCases)
        print("3. Inventory: \(inventory.totalTracks) tracks in the metadata, \(inventory.genreTableCount) genres.")
        print(table.split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))
        print("   audio files present: \(inventory.present), missing: \(inventory.missing)")
        for path in inventory.missingExamples { print("   missing: \(path)") }
        guard inventory.present > 0 else {
            throw ValidationError("No audio file of the selected tracks exists under \(source.audioFolder.path).")
        }

        // MARK: - 4. Record the choice
        // Later steps read this record, so none of them needs --fma or --folders again.
        let folder = try workspace.createdFolder(.data)
        try source.save(in: workspace)
        try AtomicFile.write(table + "\n", to: folder.appendingPathComponent("inventory.txt"))
        print("4. Wrote \(DataSource.recordURL(in: workspace).path) (\(source.kind.rawValue)).")
        // The step's work: the clips it synthesized, or else the files its inventory checked.
        try StepCost.record(.data, in: workspace, items: synthesized > 0 ? synthesized : inventory.present,
                            unit: synthesized > 0 ? "clips synthesized" : "files checked")
    }

    private func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        return URL(fileURLWithPath: expanded).standardizedFileURL.path
    }
}

lineBufferStandardOutput()
Step00Data.main()
