import Foundation
@testable import Learn
import Testing

/// `ClassificationMetrics` against scikit-learn's `accuracy_score`, `f1_score(average='macro')`
/// and `confusion_matrix`; `BootstrapInterval` against NumPy's percentile and SciPy's bootstrap.
@Suite struct MetricsTests {
    let reference = SklearnFixture.shared.metrics

    @Test func metricsMatchScikitLearn() {
        let metrics = ClassificationMetrics(truth: reference.truth, predicted: reference.predicted, classCount: 5)
        #expect(metrics.confusion == reference.confusion)
        #expect(abs(metrics.accuracy - reference.accuracy) < 1e-12)
        #expect(abs(metrics.macroF1 - reference.macro_f1) < 1e-12)
        #expect(metrics.rowNormalized.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 })
    }

    @Test func absentClassCountsZeroInMacroF1() {
        let sparse = reference.sparse
        let metrics = ClassificationMetrics(truth: sparse.truth, predicted: sparse.predicted, classCount: sparse.classes)
        #expect(abs(metrics.macroF1 - sparse.macro_f1) < 1e-12, "ours \(metrics.macroF1), scikit-learn \(sparse.macro_f1)")
    }

    @Test func percentileMatchesNumPy() {
        let sorted = reference.percentile_values.sorted()
        for (q, expected) in reference.percentiles {
            let value = BootstrapInterval.percentile(sorted, Double(q)! / 100)
            #expect(abs(value - expected) < 1e-12, "q \(q): ours \(value), NumPy \(expected)")
        }
    }

    @Test func bootstrapIntervalAgreesWithSciPy() {
        var generator = SystemRandomNumberGenerator()
        let interval = BootstrapInterval(truth: reference.truth, predicted: reference.predicted, classCount: 5,
                                         samples: 4000, using: &generator) { $0.accuracy }
        // Another generator, same distribution: the ends of a 95 % interval from 4000
        // resamples of 100 examples move by about 0.01 between seeds.
        #expect(abs(interval.lower - reference.bootstrap_accuracy[0]) <= 0.025, "\(interval) vs \(reference.bootstrap_accuracy)")
        #expect(abs(interval.upper - reference.bootstrap_accuracy[1]) <= 0.025, "\(interval) vs \(reference.bootstrap_accuracy)")
        #expect(interval.lower < reference.accuracy && reference.accuracy < interval.upper)
    }
}
