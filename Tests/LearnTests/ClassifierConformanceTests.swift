import Foundation
import Learn
import Seeded
import Testing
import _TestSupport

/// One classifier behind a uniform face, so that one suite runs over all of them.
struct AnyClassifier: Sendable, CustomTestStringConvertible {
    let name: String
    let fit: @Sendable (FeatureMatrix, [Int], Int) throws -> any FittedClassifier
    let wrap: @Sendable (any FittedClassifier) -> StandardizedClassifier.Model

    init<Model: Classifier>(_ model: Model, wrap: @escaping @Sendable (Model.Fitted) -> StandardizedClassifier.Model) {
        name = Model.name
        fit = { try model.fit($0, labels: $1, classCount: $2) }
        self.wrap = { wrap($0 as! Model.Fitted) }
    }

    var testDescription: String { name }

    static let all: [AnyClassifier] = [
        AnyClassifier(LogisticRegression()) { .logisticRegression($0) },
        AnyClassifier(KNearestNeighbors(k: 5)) { .kNearestNeighbors($0) },
        AnyClassifier(KNearestNeighbors(k: 3, metric: .manhattan)) { .kNearestNeighbors($0) },
        AnyClassifier(KNearestNeighbors(k: 3, metric: .cosine)) { .kNearestNeighbors($0) },
        AnyClassifier(GaussianNaiveBayes()) { .naiveBayes($0) },
        AnyClassifier(SupportVectorMachine()) { .svm($0) },
    ]
}

extension SplitMix64 {
    /// A standard normal draw (Box-Muller), for test data.
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// `count` examples around `classes` centres `separation` apart in `dimensions` dimensions.
func blobs(count: Int, classes: Int, dimensions: Int, separation: Double, seed: UInt64) -> (FeatureMatrix, [Int]) {
    var generator = SplitMix64(seed: seed)
    let labels = (0..<count).map { $0 % classes }
    var x = FeatureMatrix(rows: count, columns: dimensions)
    for i in 0..<count {
        for j in 0..<dimensions {
            let centre = j % classes == labels[i] ? separation : 0
            x[i, j] = centre + generator.normal()
        }
    }
    return (x, labels)
}

/// The contract every classifier keeps: it learns, it refuses bad input with an error that
/// names the problem, it is deterministic, and it survives being saved and loaded.
@Suite struct ClassifierConformanceTests {
    @Test(arguments: AnyClassifier.all) func learnsSeparatedClasses(model: AnyClassifier) throws {
        let (train, labels) = blobs(count: 240, classes: 4, dimensions: 8, separation: 4, seed: 1)
        let (test, truth) = blobs(count: 120, classes: 4, dimensions: 8, separation: 4, seed: 2)
        let fitted = try model.fit(train, labels, 4)
        let predicted = fitted.predict(test)
        #expect(predicted.allSatisfy { (0..<4).contains($0) })
        let accuracy = ClassificationMetrics(truth: truth, predicted: predicted, classCount: 4).accuracy
        // Centres 4 standard deviations apart in two coordinates: the Bayes error is under 1 %.
        #expect(accuracy >= 0.95, "\(model.name): \(accuracy)")
        #expect(fitted.classCount == 4 && fitted.featureCount == 8)
    }

    @Test(arguments: AnyClassifier.all) func refusesBadInput(model: AnyClassifier) throws {
        let (train, labels) = blobs(count: 40, classes: 2, dimensions: 3, separation: 3, seed: 3)
        #expect { try model.fit(train, Array(labels.dropLast()), 2) } throws: { error in
            guard case .badLabels = error as? LearnError else { return false }
            return "\(error)".contains("39 labels for 40 examples")
        }
        #expect { try model.fit(train, labels.map { $0 * 2 }, 2) } throws: { error in
            guard case .badLabels = error as? LearnError else { return false }
            return "\(error)".contains("outside 0..<2")
        }
        var broken = train
        broken[7, 2] = .nan
        #expect(throws: LearnError.nonFinite(model: model.name, row: 7, column: 2)) { try model.fit(broken, labels, 2) }
    }

    @Test(arguments: AnyClassifier.all) func fitsTheSameTwice(model: AnyClassifier) throws {
        let (train, labels) = blobs(count: 150, classes: 3, dimensions: 6, separation: 1, seed: 4)
        let (test, _) = blobs(count: 90, classes: 3, dimensions: 6, separation: 1, seed: 5)
        #expect(try model.fit(train, labels, 3).predict(test) == model.fit(train, labels, 3).predict(test))
    }

    @Test(arguments: AnyClassifier.all) func neverPredictsAClassAbsentFromTraining(model: AnyClassifier) throws {
        let (train, labels) = blobs(count: 90, classes: 3, dimensions: 5, separation: 2, seed: 6)
        let (test, _) = blobs(count: 200, classes: 5, dimensions: 5, separation: 2, seed: 7)
        let predicted = try model.fit(train, labels, 5).predict(test)
        #expect(predicted.allSatisfy { $0 < 3 }, "\(model.name) predicted \(Set(predicted).sorted())")
    }

    @Test(arguments: AnyClassifier.all) func savedModelPredictsTheSame(model: AnyClassifier) throws {
        let (raw, labels) = blobs(count: 160, classes: 4, dimensions: 7, separation: 1.5, seed: 8)
        let (test, _) = blobs(count: 80, classes: 4, dimensions: 7, separation: 1.5, seed: 9)
        let shifted = FeatureMatrix(rows: raw.rows, columns: raw.columns, values: raw.values.map { 50 + 20 * $0 })
        let scaler = try StandardScaler().fit(shifted)
        let fitted = try model.fit(scaler.transform(shifted), labels, 4)
        let classes = ["a", "b", "c", "d"]
        let original = StandardizedClassifier(id: "model", classes: classes, featureNames: (0..<7).map { "f\($0)" },
                                              parameters: ["x": "1"], scaler: scaler, model: model.wrap(fitted))
        let folder = TemporaryFolder("learn-save")
        let url = try original.save(in: folder.url)
        let loaded = try StandardizedClassifier.load(from: url)
        let rawTest = FeatureMatrix(rows: test.rows, columns: test.columns, values: test.values.map { 50 + 20 * $0 })
        let before = original.predict(rawTest), after = loaded.predict(rawTest)
        // libsvm's file keeps support vector values to 8 significant digits: a decision within
        // 1e-7 of zero could flip; none does on this data.
        #expect(before == after)
        #expect(loaded.classes == classes && loaded.featureNames?.count == 7 && loaded.parameters == ["x": "1"])
        #expect(try loaded.classify(rawTest.row(0).map { $0 }) == classes[before[0]])
        #expect(throws: LearnError.featureCount(model: "model", expected: 7, found: 6)) {
            try loaded.classify([1, 2, 3, 4, 5, 6])
        }
    }
}

@Suite struct ModelFileTests {
    @Test func damagedModelFileIsNamed() throws {
        let folder = TemporaryFolder("learn-bad")
        let url = folder.file("svm.json")
        try Data("{\"format\": \"something else\"}".utf8).write(to: url)
        #expect { try StandardizedClassifier.load(from: url) } throws: { error in
            guard case .badModelFile(let path, _) = error as? LearnError else { return false }
            return path == url.path
        }
    }

    @Test func gridSearchPicksTheBestAndSkipsImpossibleCandidates() throws {
        let (train, labels) = blobs(count: 30, classes: 3, dimensions: 4, separation: 2, seed: 10)
        let (validation, truth) = blobs(count: 60, classes: 3, dimensions: 4, separation: 2, seed: 11)
        let grid = try GridSearch(candidates: [KNearestNeighbors(k: 1), KNearestNeighbors(k: 9), KNearestNeighbors(k: 31)],
                                  train: train, trainLabels: labels, validation: validation, validationLabels: truth,
                                  classCount: 3)
        #expect(grid.points[2].validationAccuracy == nil && grid.points[2].failure!.contains("k = 31"))
        let accuracies = grid.points.compactMap(\.validationAccuracy)
        #expect(grid.best.validationAccuracy == accuracies.max())
        #expect(grid.rows.count == 3 && grid.rows[2].contains("skipped"))
    }
}
