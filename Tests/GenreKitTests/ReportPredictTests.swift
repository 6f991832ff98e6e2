import AudioIO
import Foundation
@testable import GenreKit
import Neural
import TensorBundle
import Testing
import _TestSupport

/// The frame of `genre-predict`: windows over a song, averaging, the top genres and the verdict.
@Suite struct ReportPredictTests {
    @Test func windowsCoverALongSongAndAShortClip() {
        // A 30 s clip at 100 Hz with 30 s windows: one window.
        #expect(SongAnalysis.windowStarts(count: 3000, length: 3000, maxCount: 12) == [0])
        // Shorter than a window: one window of what there is.
        #expect(SongAnalysis.windowStarts(count: 1000, length: 3000, maxCount: 12) == [0])
        // A 3-minute song: six windows back to back.
        #expect(SongAnalysis.windowStarts(count: 18000, length: 3000, maxCount: 12) == [0, 3000, 6000, 9000, 12000, 15000])
        // A 10-minute song with at most 4 windows: the first at the start, the last at the end.
        let starts = SongAnalysis.windowStarts(count: 60000, length: 3000, maxCount: 4)
        #expect(starts == [0, 19000, 38000, 57000])
        #expect(starts.last! + 3000 == 60000)
    }

    @Test func songWindowsAreCutAtTheModelsRate() throws {
        let song = SongAnalysis(audio: Audio(channels: [[Float](repeating: 0.5, count: 8000), [Float](repeating: -0.5, count: 8000)],
                                             sampleRate: 8000), name: "test")
        #expect(song.seconds == 1)
        let windows = try song.windows(at: 16000, length: 4000)
        #expect(windows.count == 4 && windows.allSatisfy { $0.count == 4000 })
        // Mixed to mono: the two channels cancel.
        #expect(windows[1].allSatisfy { abs($0) < 1e-3 })
        var calls = 0
        for _ in 0..<3 { _ = song.cached("x") { calls += 1; return 42 } }
        #expect(calls == 1)
    }

    @Test func predictionsAverageTheirWindowsAndRankTheGenres() {
        let classes = ["Folk", "Pop", "Rock"]
        let prediction = SongPrediction(model: "m", classes: classes, perWindow: [[0.2, 0.2, 0.6], [0.6, 0.2, 0.2]], calibrated: true)
        #expect(prediction.windows == 2)
        #expect(prediction.probabilities.enumerated().allSatisfy { abs($0.element - [0.4, 0.2, 0.4][$0.offset]) < 1e-12 })
        // A tie keeps label order.
        #expect(prediction.top(3).map(\.genre) == ["Folk", "Rock", "Pop"])
        #expect(prediction.top(1).count == 1)
    }

    @Test func verdictIsTheHighestMeanProbability() {
        let classes = ["Folk", "Pop", "Rock"]
        let votes = [
            SongPrediction(model: "a", classes: classes, probabilities: [0.1, 0.2, 0.7], windows: 1, calibrated: true),
            SongPrediction(model: "b", classes: classes, probabilities: [0.5, 0.4, 0.1], windows: 1, calibrated: true),
            SongPrediction(model: "c", classes: classes, probabilities: [0.0, 0.0, 1.0], windows: 3, calibrated: false),
        ]
        // Means: Folk 0.2, Pop 0.2, Rock 0.6; two models put Rock first.
        #expect(GenreVerdict.line(votes) == "Rock (2 of 3 models put it first; mean probability 0.60)")
        #expect(GenreVerdict.line([]) == "no model to ask")
    }

    @Test func rawCNNPredictorAveragesTheSoftmaxOfTheSavedNetworkOverWindows() throws {
        // The article's layer stack on a short window, saved as step 06 saves it.
        let window = 64, classes = ["Folk", "Pop", "Rock"]
        let model = rawAudioCNN(window: window, classes: classes.count, seed: 7)
        let folder = TemporaryFolder("raw-cnn-predictor")
        let prefix = folder.file("raw_cnn").path
        try model.saveWeights(prefix: prefix)
        let predictor = try RawCNNGenrePredictor(checkpoint: prefix, name: "raw", classes: classes,
                                                 sampleRate: 1000, window: window)
        let samples = (0..<(5 * window)).map { Float(sin(Double($0) * 0.3) * 0.5) }
        let prediction = try predictor.predict(SongAnalysis(audio: Audio(mono: samples, sampleRate: 1000), name: "tone"))
        #expect(prediction.windows == 5 && prediction.calibrated)
        // The same numbers from the network itself, window by window.
        let logits = model.predict(Tensor(shape: [5, window, 1], values: samples))
        var expected = [Double](repeating: 0, count: 3)
        for row in 0..<5 {
            let z = (0..<3).map { Double(logits.values[row * 3 + $0]) }
            let total = z.map { exp($0 - z.max()!) }.reduce(0, +)
            for k in 0..<3 { expected[k] += exp(z[k] - z.max()!) / total / 5 }
        }
        for k in 0..<3 { #expect(abs(prediction.probabilities[k] - expected[k]) < 1e-6) }
        // A checkpoint of another network is refused, naming a tensor.
        #expect(throws: TensorBundleError.self) {
            try RawCNNGenrePredictor(checkpoint: prefix, name: "raw", classes: classes, sampleRate: 1000, window: 2 * window)
        }
    }
}
