import Foundation

/// Converts many tracks on all cores: each thread owns a `WavConverter` and takes the next
/// track from a shared counter, so that a slow file does not hold up a whole share.
public struct WavBatch: Sendable {
    public var sampleRate: Int
    public var minSeconds: Double
    /// Seconds between two calls of `checkpoint`.
    public var checkpointInterval: TimeInterval = 5

    public init(sampleRate: Int, minSeconds: Double) {
        self.sampleRate = sampleRate
        self.minSeconds = minSeconds
    }

    /// Converts `tracks` to `folder/NNN/NNNNNN.wav`.
    /// - Parameters:
    ///   - progress: advanced once per track.
    ///   - checkpoint: called now and then with the entries so far (to save the manifest).
    /// - Returns: one manifest entry per track, by track id.
    public func convert(_ tracks: [TrackEntry], into folder: URL, progress: ProgressBar? = nil,
                        checkpoint: @Sendable ([Int: ManifestEntry]) -> Void = { _ in }) throws -> [Int: ManifestEntry] {
        let state = SharedState()
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, tracks.count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let converter: WavConverter
            do {
                converter = try WavConverter(sampleRate: sampleRate, minSeconds: minSeconds)
            } catch {
                state.fail(error)
                return
            }
            while let index = state.claim(below: tracks.count) {
                let track = tracks[index]
                let entry = converter.convert(trackID: track.id, source: URL(fileURLWithPath: track.audioPath),
                                              destination: WavManifest.wavURL(in: folder, trackID: track.id))
                if let snapshot = state.add(entry, checkpointEvery: checkpointInterval) { checkpoint(snapshot) }
                progress?.advance()
            }
        }
        if let error = state.error { throw error }
        return state.entries
    }
}

/// The counter and results shared by the converting threads.
private final class SharedState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var entries: [Int: ManifestEntry] = [:]
    private(set) var error: Error?
    private var lastCheckpoint = Date()

    func claim(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard error == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Records an entry; returns a snapshot when a checkpoint is due.
    func add(_ entry: ManifestEntry, checkpointEvery interval: TimeInterval) -> [Int: ManifestEntry]? {
        lock.lock()
        defer { lock.unlock() }
        entries[entry.trackID] = entry
        guard Date().timeIntervalSince(lastCheckpoint) >= interval else { return nil }
        lastCheckpoint = Date()
        return entries
    }

    func fail(_ failure: Error) {
        lock.lock()
        if error == nil { error = failure }
        lock.unlock()
    }
}
