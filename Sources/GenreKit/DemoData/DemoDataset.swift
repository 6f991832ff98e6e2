import AudioIO
import Foundation

/// The built-in demo: synthetic clips for FMA small's eight genres, written in exactly
/// FMA's layout (`fma_metadata/tracks.csv`, `genres.csv`, `fma_small/NNN/NNNNNN.mp3`), so
/// that every step runs on it as it would on a real download.
///
/// It keeps the real data's warts, because the pipeline must survive them: mixed sample
/// rates (mostly 44.1 kHz, some 48 and 22.05 kHz), mono and stereo, CBR and VBR, ID3 tags,
/// lengths a few thousand samples either side of 30 s, three clips with no decodable audio
/// and three far too short (under the same track ids as in FMA small), and tracks of other
/// subsets whose `genre_top` is empty.
public struct DemoDataset: Sendable, Codable, Equatable {
    public var clipsPerGenre: Int
    public var seed: UInt64
    public var clipSeconds: Double
    /// The version of the synthesis and of the faults; bump it when either changes, so that
    /// demos made by older code are made again rather than reused.
    public var version = Self.currentVersion
    public static let currentVersion = 3

    public init(clipsPerGenre: Int, seed: UInt64, clipSeconds: Double) {
        precondition(clipsPerGenre >= 1 && clipSeconds > 0, "a demo needs clips and a length")
        self.clipsPerGenre = clipsPerGenre
        self.seed = seed
        self.clipSeconds = clipSeconds
    }

    /// FMA small's clips that hold no audio, and those far shorter than 30 s (issues #8, #44).
    public static let noAudioIDs = [99134, 108925, 133297]
    public static let shortIDs = [98565, 98567, 98569]

    // MARK: - The plan

    /// Every track of the demo, sorted by id: `clipsPerGenre` clips per genre in `small`,
    /// and half as many again in `medium` and `large` without audio.
    public func tracks() -> [DemoTrack] {
        var random = SeededGenerator(seed: seed, stream: 0)
        let genres = DemoGenre.all
        let clipCount = clipsPerGenre * genres.count

        // Track ids: FMA small's six faulty ids first, then distinct random ids in FMA's range.
        let faulty = Array((Self.noAudioIDs + Self.shortIDs).prefix(clipCount))
        let otherCount = clipCount / 2 + 4
        var taken = Set(Self.noAudioIDs + Self.shortIDs)
        var fresh: [Int] = []
        while fresh.count < clipCount - faulty.count + otherCount {
            let id = Int(random.next() % 155_000) + 2
            if taken.insert(id).inserted { fresh.append(id) }
        }
        let clipIDs = faulty + fresh.prefix(clipCount - faulty.count)
        let otherIDs = fresh.suffix(otherCount)

        // Genres: the clip ids, shuffled, dealt to the genres in turn.
        var dealt = clipIDs
        dealt.shuffle(using: &random)
        var tracks: [DemoTrack] = []
        for (index, id) in dealt.enumerated() {
            let genre = genres[index % genres.count]
            let withinGenre = index / genres.count
            // FMA's split is 80/10/10 per genre, with each artist in one split only.
            // (Positions 1 and 2 of every ten, so that even a tiny demo has all three splits.)
            let split = withinGenre % 10 == 1 ? "validation" : withinGenre % 10 == 2 ? "test" : "training"
            let artist = 1000 + genres.firstIndex(of: genre)! * 500 + withinGenre / 2 * 3 + (split == "training" ? 0 : 1)
            tracks.append(DemoTrack(
                id: id, genreTop: genre.name, genreIDs: [genre.fmaGenreID], subset: .small, split: split,
                artistID: artist, albumID: artist * 4 + withinGenre % 3, clip: clip(for: id, order: index, using: &random)))
        }
        for (n, id) in otherIDs.enumerated() {
            let subset: FMASubset = n % 3 == 0 ? .large : .medium
            // A third have several root genres, so FMA leaves `genre_top` empty.
            let several = n % 3 == 1
            let root = Self.otherGenres[n % Self.otherGenres.count]
            tracks.append(DemoTrack(
                id: id, genreTop: several ? nil : root.title, genreIDs: several ? [root.id, 15] : [root.id],
                subset: subset, split: ["training", "validation", "test"][n % 3 == 2 ? 1 : 0],
                artistID: 9000 + n, albumID: 40000 + n, clip: nil))
        }
        return tracks.sorted { $0.id < $1.id }
    }

    /// The encoding of one clip. Faults and formats are spread by `order`, so that even a
    /// demo of a few clips per genre has every kind.
    private func clip(for id: Int, order: Int, using random: inout SeededGenerator) -> DemoTrack.Clip {
        let fault: DemoTrack.Fault =
            switch id {
            case Self.noAudioIDs[0]: .tagOnly
            case Self.noAudioIDs[1]: .truncatedFrame
            case Self.noAudioIDs[2]: .junkOnly
            case _ where Self.shortIDs.contains(id): .short
            case _ where order % 25 == 4: .absurdTagLength
            case _ where order % 40 == 7: .trailingJunk
            default: .clean
            }
        let sampleRate = order % 10 == 1 ? 48000 : order % 20 == 3 ? 22050 : 44100
        let nominal = Int(clipSeconds * Double(sampleRate))
        // FMA's clips vary by a few thousand samples around 30 s (stream copies cut at frames).
        var frames = nominal + Int(random.next() % 6001) - 3000
        if fault == .short { frames = Int(Double(nominal) * random.uniform(0.04...0.2)) }
        return DemoTrack.Clip(
            sampleRate: sampleRate, channelCount: order % 5 == 2 ? 1 : 2, frameCount: max(frames, 1024),
            variableBitrate: order % 3 == 0, compressionLevel: random.uniform(0...0.6), fault: fault,
            seed: random.next())
    }

    /// Root genres outside FMA small, for the tracks of other subsets (FMA's genre ids).
    static let otherGenres: [FMAGenre] = [
        FMAGenre(id: 3, trackCount: 1752, parent: 0, title: "Blues", topLevel: 3),
        FMAGenre(id: 4, trackCount: 4126, parent: 0, title: "Jazz", topLevel: 4),
        FMAGenre(id: 5, trackCount: 4106, parent: 0, title: "Classical", topLevel: 5),
        FMAGenre(id: 9, trackCount: 1987, parent: 0, title: "Country", topLevel: 9),
        FMAGenre(id: 14, trackCount: 1499, parent: 0, title: "Soul-RnB", topLevel: 14),
        FMAGenre(id: 20, trackCount: 1876, parent: 0, title: "Spoken", topLevel: 20),
    ]

    // MARK: - Writing

    /// The record of the demo's parameters, written before its first file.
    public static func recordURL(in root: URL) -> URL { root.appendingPathComponent("demo.json") }

    /// Whether `root` holds this very demo, complete: same parameters, every clip on disk.
    public func isComplete(at root: URL) -> Bool {
        guard let data = try? Data(contentsOf: Self.recordURL(in: root)),
              let recorded = try? JSONDecoder().decode(DemoDataset.self, from: data), recorded == self else { return false }
        let audioFolder = root.appendingPathComponent(FMASubset.small.audioFolder)
        let metadata = ["tracks.csv", "genres.csv"].map { root.appendingPathComponent("fma_metadata/\($0)").path }
        return metadata.allSatisfy(FileManager.default.fileExists) && tracks().allSatisfy { track in
            track.clip == nil || FileManager.default.fileExists(
                atPath: audioFolder.appendingPathComponent(fmaAudioRelativePath(trackID: track.id)).path)
        }
    }

    /// Writes `demo.json`, `fma_metadata/` and the MP3s of `fma_small/` under `root`, the clips
    /// in parallel. Clips already written by an interrupted run of the same demo are kept; a
    /// demo made with other parameters is removed first. Returns the tracks.
    /// - Parameter progress: advanced once per clip.
    public func write(to root: URL, progress: ProgressBar? = nil) throws -> [DemoTrack] {
        let record = Self.recordURL(in: root)
        let recorded = (try? Data(contentsOf: record)).flatMap { try? JSONDecoder().decode(DemoDataset.self, from: $0) }
        if recorded != self {
            for folder in ["fma_metadata", FMASubset.small.audioFolder] {
                try? FileManager.default.removeItem(at: root.appendingPathComponent(folder))
            }
            try AtomicFile.writeJSON(self, to: record)
        }
        let tracks = tracks()
        try DemoMetadata(tracks: tracks, seed: seed).write(to: root.appendingPathComponent("fma_metadata"))
        let clips = tracks.filter { $0.clip != nil }
        let audioFolder = root.appendingPathComponent(FMASubset.small.audioFolder)
        let failures = ErrorCollector()
        DispatchQueue.concurrentPerform(iterations: clips.count) { index in
            let track = clips[index]
            let url = audioFolder.appendingPathComponent(fmaAudioRelativePath(trackID: track.id))
            do {
                if !FileManager.default.fileExists(atPath: url.path) {
                    try AtomicFile.write(Data(mp3Bytes(for: track)), to: url)
                }
            } catch {
                failures.record(error)
            }
            progress?.advance()
        }
        if let error = failures.first { throw error }
        return tracks
    }

    /// The bytes of a clip's file: an ID3 tag and LAME's MP3, faults applied.
    public func mp3Bytes(for track: DemoTrack) throws -> [UInt8] {
        guard let clip = track.clip else { return [] }
        var random = SeededGenerator(seed: clip.seed, stream: 1)
        let tag = ID3Tag(frames: [
            ("TIT2", "Demo track \(track.id)"), ("TPE1", "Artist \(track.artistID)"),
            ("TALB", "Album \(track.albumID)"), ("TCON", track.genreTop ?? ""),
            ("TLEN", clip.fault == .absurdTagLength ? "1" : String(clip.frameCount * 1000 / clip.sampleRate)),
        ]).bytes
        switch clip.fault {
        case .tagOnly:
            return tag
        case .junkOnly:
            return tag + (0..<1752 - tag.count).map { _ in UInt8(random.next() % 0xF0) }
        case .truncatedFrame:
            // A frame header (MPEG-1 layer III, 128 kbit/s, 44.1 kHz) and a few bytes of its body.
            return tag + [0xFF, 0xFB, 0x90, 0x64] + (0..<40).map { _ in UInt8(random.next() & 0xFF) }
        case .clean, .short, .absurdTagLength, .trailingJunk:
            break
        }
        let genre = DemoGenre.all.first { $0.name == track.genreTop }!
        let audio = DemoSynthesizer.render(genre: genre, seed: clip.seed, sampleRate: clip.sampleRate,
                                           channelCount: clip.channelCount, frameCount: clip.frameCount)
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("genre-lab-demo-\(track.id)-\(ProcessInfo.processInfo.processIdentifier).mp3")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try SoundFile.writeMP3(audio, to: temporary, options: .init(
            bitrateMode: clip.variableBitrate ? .variable : .constant, compressionLevel: clip.compressionLevel))
        var bytes = tag + [UInt8](try Data(contentsOf: temporary))
        if clip.fault == .trailingJunk {
            bytes.removeLast(min(200, bytes.count / 10))  // the last frame cut short...
            bytes += (0..<3000).map { _ in UInt8(random.next() & 0xFF) }  // ...and junk behind it
        }
        return bytes
    }
}

/// Collects errors thrown by parallel work; keeps the first.
final class ErrorCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []

    func record(_ error: Error) {
        lock.lock()
        errors.append(error)
        lock.unlock()
    }

    var first: Error? {
        lock.lock()
        defer { lock.unlock() }
        return errors.first
    }
}
