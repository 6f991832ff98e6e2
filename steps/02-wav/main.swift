// Step 02: Convert the MP3s to WAV
//
// TensorFlow decodes WAV natively and MP3 not at all, so the article converts every clip
// with pydub (ffmpeg), asking for one channel. We decode with libmpg123, choosing the decoder
// by each file's content, mix down to mono, resample with libsoxr to one rate for all clips
// (FMA mixes 44.1, 48 and 22.05 kHz), and write 16-bit PCM on all cores. A corrupt, empty or
// short file is skipped and recorded with its reason; it never stops the run.
//   reads   artifacts/01-metadata/tracks.csv and the audio files it names
//   writes  artifacts/02-wav/NNN/NNNNNN.wav, manifest.csv (or manifest-I-of-N.csv per worker)
//   run     swift run -c release step02-wav [--worker I --workers N]

import ArgumentParser
import Foundation
import GenreKit

struct Step02Wav: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step02-wav",
        abstract: "Decode every clip, mix to mono, resample, and write 16-bit WAV with a manifest.")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var share: WorkerOptions

    @Flag(help: "Try again the files an earlier run recorded as broken.")
    var retryBroken = false

    func run() throws {
        let config = try options.load()
        let workspace = Workspace(config: config)
        let (tracks, _) = try TrackList.read(in: workspace)
        let folder = try workspace.createdFolder(.wav)
        let manifestURL = WavManifest.url(in: folder, worker: share.worker, workers: share.workers)

        // MARK: - 1. Share out the work
        // Worker I of N takes every N-th track of the id-sorted list: the same share on any
        // machine, so N machines over one shared folder need no coordination.
        let mine = tracks.enumerated().filter { share.owns($0.offset) }.map(\.element)
        print("1. \(mine.count) of \(tracks.count) tracks are this worker's (\(share.worker) of \(share.workers)).")

        // MARK: - 2. Skip what is done
        // A WAV is renamed into place only when complete, so an existing WAV with a manifest
        // entry is finished work. Broken files stay skipped unless --retry-broken.
        let previous = (try? WavManifest.readAll(in: folder)) ?? [:]
        var entries: [Int: ManifestEntry] = [:]
        var todo: [TrackEntry] = []
        for track in mine {
            let wav = WavManifest.wavURL(in: folder, trackID: track.id)
            if let entry = previous[track.id], entry.source == track.audioPath,
               entry.status == .broken ? !retryBroken : FileManager.default.fileExists(atPath: wav.path) {
                entries[track.id] = entry
            } else {
                todo.append(track)
            }
        }
        print("2. \(entries.count) already done, \(todo.count) to convert to \(config.audio.sampleRate) Hz mono.")

        // MARK: - 3. Convert on all cores
        // Each thread owns one decoder. The manifest is rewritten every few seconds, so that
        // an interrupted run loses at most those seconds of bookkeeping.
        let progress = ProgressBar("   converting", total: todo.count)
        let kept = entries
        let converted = try WavBatch(sampleRate: config.audio.sampleRate, minSeconds: config.audio.minSeconds)
            .convert(todo, into: folder, progress: progress) { done in
                try? WavManifest.write(Array(kept.merging(done) { $1 }.values), to: manifestURL)
            }
        let seconds = progress.finish()
        entries.merge(converted) { $1 }
        try WavManifest.write(Array(entries.values), to: manifestURL)

        // MARK: - 4. Summary
        let all = Array(entries.values)
        let audioSeconds = converted.values.reduce(0) { $0 + $1.seconds }
        let counts = ManifestEntry.Status.allCases.map { status in "\(all.filter { $0.status == status }.count) \(status.rawValue)" }
        print("4. \(counts.joined(separator: ", ")); manifest: \(manifestURL.path)")
        if !converted.isEmpty {
            print(String(format: "   %.0f s of audio in %.1f s: %.0f x real time.", audioSeconds, seconds,
                         audioSeconds / max(seconds, 1e-9)))
        }
        for entry in all.sorted(by: { $0.trackID < $1.trackID }) where entry.status != .ok {
            print("   \(entry.status.rawValue) \(entry.trackID): \(entry.reason)")
        }
        let rates = Dictionary(grouping: all.filter { $0.sourceSampleRate > 0 }, by: \.sourceSampleRate)
            .map { "\($0.value.count) at \($0.key) Hz" }.sorted()
        if !rates.isEmpty { print("   source sample rates: \(rates.joined(separator: ", "))") }
        try StepCost.record(.wav, in: workspace, items: converted.count, unit: "clips")
    }
}

lineBufferStandardOutput()
Step02Wav.main()
