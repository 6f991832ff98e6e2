import Foundation
import Plot

/// Charts shaped like the report's, on made-up but plausible data, shared by the tests that
/// write PNGs; `PLOT_SAMPLES=/some/folder` also keeps a copy of each for looking at.
enum SampleCharts {
    static let genres = ["Electronic", "Experimental", "Folk", "Hip-Hop", "Instrumental", "International", "Pop", "Rock"]

    /// Training and validation loss over 30 epochs: falling, the validation curve flattening.
    static var loss: LineChart {
        let training = (0..<30).map { epoch -> Double in
            let t = Double(epoch)
            return 2.08 * exp(-t / 7) + 0.35 + 0.03 * sin(t * 1.7)
        }
        let validation = (0..<30).map { epoch -> Double in
            let t = Double(epoch)
            let overfitting: Double = 0.0004 * t * t
            return 2.1 * exp(-t / 6) + 0.8 + overfitting + 0.05 * cos(t * 2.3)
        }
        return LineChart(title: "1D CNN on raw audio: loss", xLabel: "epoch", yLabel: "cross-entropy loss", series: [
            .init(name: "training", y: training),
            .init(name: "validation", y: validation, dash: .dashed, marker: .circle),
        ])
    }

    /// Accuracy on a fixed 0...1 axis, with a constant chance level.
    static var accuracy: LineChart {
        let epochs = 20
        let training = (0..<epochs).map { epoch -> Double in 0.9 - 0.75 * exp(-Double(epoch) / 5) }
        let validation = (0..<epochs).map { epoch -> Double in 0.52 - 0.4 * exp(-Double(epoch) / 4) }
        return LineChart(title: "MobileNetV2 on mel spectrograms: accuracy", xLabel: "epoch", yLabel: "accuracy", series: [
            .init(name: "training", y: training, marker: .square),
            .init(name: "validation", y: validation, marker: .triangle),
            .init(name: "chance (1/8)", y: Array(repeating: 0.125, count: epochs), color: RGB(hex: 0x7F7F7F), dash: .dotted),
        ], yRange: 0...1)
    }

    /// Six models, ours against the article's, with error bars and values.
    static var models: GroupedBarChart {
        GroupedBarChart(
            title: "Test accuracy by model", yLabel: "accuracy",
            categories: ["Logistic regression", "k-nearest neighbours", "Gaussian naive Bayes", "SVM", "1D CNN (raw audio)", "MobileNetV2"],
            groups: [
                .init(name: "ours", values: [0.412, 0.364, 0.331, 0.468, 0.387, 0.559],
                      intervals: [0.39...0.435, 0.34...0.39, 0.305...0.355, 0.445...0.49, 0.36...0.41, 0.535...0.585]),
                .init(name: "article (Hermez et al., 2020)", values: [0.39, 0.33, 0.32, 0.41, nil, 0.52]),
            ],
            showsValues: true, valueFormat: .decimals(2))
    }

    /// A confusion matrix of 8 genres x 8, 100 test tracks each, mostly on the diagonal.
    static var confusion: HeatMap {
        let n = genres.count
        let counts: [[Double]] = (0..<n).map { row in
            var cells = (0..<n).map { column in Double((row * 7 + column * 13) % 9) }
            cells[row] = 0
            let off = cells.reduce(0, +)
            cells[row] = 100 - off
            return cells
        }
        return HeatMap(title: "Confusion matrix, MobileNetV2 (test set)", values: counts,
                       rowLabels: genres, columnLabels: genres, colorBarLabel: "tracks")
    }

    /// A 30-second mel spectrogram, 128 bands x 1292 frames at 22050 / 512 frames per second:
    /// a falling noise floor, harmonics of a melody, and a kick drum every half second.
    static var spectrogram: ImagePlot {
        let bands = 128, frames = 1292, fps = 22050.0 / 512
        var values = [Float](repeating: 0, count: bands * frames)
        for frame in 0..<frames {
            let t = Double(frame) / fps
            let note = 18 + 6 * sin(t * 0.9).rounded()
            let beat = exp(-(t.truncatingRemainder(dividingBy: 0.5)) * 18)
            for band in 0..<bands {
                let b = Double(band)
                var seed = UInt64(band * 7919 + frame * 104729) &* 6364136223846793005 &+ 1442695040888963407
                seed ^= seed >> 29
                let noise: Double = 6 * (Double(seed % 1000) / 1000 - 0.5)
                var db: Double = -62 - b * 0.12 + noise
                for harmonic in 1...5 {
                    let h = Double(harmonic)
                    let center: Double = note * log2(h + 1) * 1.9
                    let distance: Double = b - center
                    db = max(db, -6 * h - 4 * distance * distance)
                }
                if band < 10 { db = max(db, -5 - 60 * (1 - beat) - b * 2) }
                values[band * frames + frame] = Float(min(0, db))
            }
        }
        return ImagePlot(title: "Mel spectrogram, track 000002 (Hip-Hop)", values: values, rowCount: bands, columnCount: frames,
                         xAxis: .seconds(framesPerSecond: fps), yAxis: .index("mel band"), valueRange: -80...0,
                         colorBarLabel: "dB")
    }

    /// Every sample, by file name.
    static func all() throws -> [(name: String, figure: Figure)] {
        [
            ("line-loss.png", try loss.render()),
            ("line-accuracy.png", try accuracy.render()),
            ("bars-models.png", try models.render()),
            ("heatmap-confusion.png", try confusion.render()),
            ("image-spectrogram.png", try spectrogram.render()),
        ]
    }

    /// Awkward inputs, to render and to look at: a constant and a single-point series, many
    /// long category names, negative bars, fractions in a heat map, a small figure, a Hz axis.
    static func edgeCases() throws -> [(name: String, figure: Figure)] {
        let constant = LineChart(title: "A constant series and a single point", xLabel: "x", yLabel: "y", series: [
            .init(name: "constant 0.42", y: Array(repeating: 0.42, count: 8)),
            .init(name: "one point", x: [4.5], y: [0.43]),
        ])
        let names = ["Logistic regression (L2, C = 1)", "k-nearest neighbours (k = 7)", "Gaussian naive Bayes",
                     "Support vector machine, RBF kernel", "Random forest", "Gradient boosting", "1D CNN", "MobileNetV2 (fine-tuned)",
                     "MobileNetV2 (frozen)", "Ensemble"]
        let many = GroupedBarChart(title: "Ten models, three feature sets", xLabel: "model", yLabel: "F1 (macro)", categories: names, groups: [
            .init(name: "MFCC", values: names.indices.map { 0.3 + 0.03 * Double($0) }),
            .init(name: "chroma", values: names.indices.map { 0.25 + 0.02 * Double($0 % 4) }),
            .init(name: "mel", values: names.indices.map { 0.35 + 0.025 * Double($0 % 5) }),
        ], showsValues: true)
        let negative = GroupedBarChart(title: "Change against the article", yLabel: "accuracy difference (points)",
                                       categories: ["LR", "kNN", "GNB", "SVM"], groups: [
            .init(name: "", values: [2.2, -3.1, 1.15, 5.9], intervals: [1.0...3.4, -4.5...(-1.7), 0.1...2.2, 4.4...7.4]),
        ], showsValues: true, valueFormat: .decimals(1))
        let fractions = HeatMap(title: "Normalised confusion", values: [[0.81, 0.12, 0.07], [0.2, 0.55, 0.25], [0.05, 0.15, 0.8]],
                                rowLabels: ["Folk", "Pop", "Rock"], columnLabels: ["Folk", "Pop", "Rock"], colormap: .magma,
                                valueRange: 0...1, colorBarLabel: "share of true class")
        var spectrum = [Float](repeating: 0, count: 257 * 200)
        for bin in 0..<257 {
            for frame in 0..<200 { spectrum[bin * 200 + frame] = Float(-Double(bin) / 4 - 20 * (1 + sin(Double(frame) / 9))) }
        }
        let stft = ImagePlot(title: "STFT magnitude", values: spectrum, rowCount: 257, columnCount: 200,
                             xAxis: .seconds(framesPerSecond: 16000 / 256), yAxis: .hertz(binWidth: 16000 / 512),
                             colormap: .viridis, colorBarLabel: "dB")
        return [
            ("edge-constant.png", try constant.render(width: 600, height: 380)),
            ("edge-many-bars.png", try many.render(width: 900, height: 520)),
            ("edge-negative-bars.png", try negative.render(width: 600, height: 400)),
            ("edge-fractions.png", try fractions.render(width: 480, height: 420)),
            ("edge-stft.png", try stft.render(width: 700, height: 360)),
            ("edge-small-loss.png", try loss.render(width: 420, height: 280)),
        ]
    }

    /// The folder named by `PLOT_SAMPLES`, created, or `nil` when unset.
    static var keepFolder: URL? {
        guard let path = ProcessInfo.processInfo.environment["PLOT_SAMPLES"], !path.isEmpty else { return nil }
        let url = URL(fileURLWithPath: path, isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
