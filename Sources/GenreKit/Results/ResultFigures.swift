import Foundation
import Plot

/// Loss and accuracy per epoch on the training and validation splits: what a network step
/// writes to `history.csv` and draws as curves.
public struct TrainingHistory: Codable, Equatable, Sendable {
    public var loss: [Double] = []
    public var accuracy: [Double] = []
    public var validationLoss: [Double] = []
    public var validationAccuracy: [Double] = []

    public init() {}

    public var epochs: Int { loss.count }

    public mutating func append(loss: Double, accuracy: Double, validationLoss: Double, validationAccuracy: Double) {
        self.loss.append(loss)
        self.accuracy.append(accuracy)
        self.validationLoss.append(validationLoss)
        self.validationAccuracy.append(validationAccuracy)
    }

    /// `epoch,loss,accuracy,val_loss,val_accuracy`, one row per epoch counted from 1: the
    /// columns of Keras's `CSVLogger`.
    public var csv: String {
        var text = "epoch,loss,accuracy,val_loss,val_accuracy\n"
        for e in 0..<epochs {
            text += "\(e + 1),\(loss[e]),\(accuracy[e]),\(validationLoss[e]),\(validationAccuracy[e])\n"
        }
        return text
    }

    /// Reads what `csv` wrote; a malformed row is an error naming the file and line.
    public init(csvAt url: URL) throws {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        guard lines.first == "epoch,loss,accuracy,val_loss,val_accuracy" else {
            throw ResultsError.malformed(path: url.path, line: 1, reason: "expected the header epoch,loss,accuracy,val_loss,val_accuracy")
        }
        for (index, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",").compactMap { Double($0) }
            guard fields.count == 5 else {
                throw ResultsError.malformed(path: url.path, line: index + 2, reason: "expected five numbers")
            }
            append(loss: fields[1], accuracy: fields[2], validationLoss: fields[3], validationAccuracy: fields[4])
        }
    }

    /// Two charts, loss and accuracy, each with its training and validation curve.
    public func figures(title: String) throws -> (loss: Figure, accuracy: Figure) {
        let epochAxis = "epoch"
        let loss = LineChart(title: "\(title): loss", xLabel: epochAxis, yLabel: "cross-entropy", series: [
            .init(name: "training", y: self.loss),
            .init(name: "validation", y: validationLoss, dash: .dashed, marker: epochs <= 30 ? .circle : .none),
        ])
        let accuracy = LineChart(title: "\(title): accuracy", xLabel: epochAxis, yLabel: "accuracy", series: [
            .init(name: "training", y: self.accuracy),
            .init(name: "validation", y: validationAccuracy, dash: .dashed, marker: epochs <= 30 ? .circle : .none),
        ], yRange: 0...1)
        return (try loss.render(width: 720, height: 440), try accuracy.render(width: 720, height: 440))
    }
}

extension ModelResult {
    /// The test confusion matrix as a heat map with genre names: counts, or each true genre's
    /// row as fractions.
    public func confusionFigure(normalized: Bool) throws -> Figure {
        let values: [[Double]] = normalized
            ? confusion.map { row in
                let total = Double(row.reduce(0, +))
                return row.map { total == 0 ? 0 : Double($0) / total }
            }
            : confusion.map { $0.map(Double.init) }
        let chart = HeatMap(
            title: "\(title): test confusion\(normalized ? " (fraction of each genre)" : "")",
            values: values, rowLabels: classes, columnLabels: classes,
            rowTitle: "true genre", columnTitle: "predicted genre",
            valueRange: normalized ? 0...1 : nil,
            valueFormat: normalized ? .decimals(2) : .automatic,
            colorBarLabel: normalized ? "fraction" : "tracks")
        return try chart.render(width: 760, height: 680)
    }
}

/// A results file that cannot be read back.
public enum ResultsError: Error, CustomStringConvertible, Equatable {
    case malformed(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .malformed(path, line, reason): "\(path), line \(line): \(reason)"
        }
    }
}
