import Foundation
import Learn
import Testing

/// Each model against scikit-learn on the same standardized matrix (300 x 20, five classes;
/// `Fixtures/make_fixtures.py`). The checks: test accuracy within 1 point, predictions mostly
/// equal, and the learned numbers close where the optimum is unique.
@Suite struct SklearnComparisonTests {
    let fixture = SklearnFixture.shared

    @Test func standardScalerMatchesScikitLearn() throws {
        let fitted = try StandardScaler().fit(FeatureMatrix(fixture.train))
        for j in 0..<fitted.mean.count {
            // Means and deviations of values around 1e1-1e3: rounding differences near 1e-13.
            #expect(abs(fitted.mean[j] - fixture.scaler.mean[j]) <= 1e-9 * max(1, abs(fixture.scaler.mean[j])), "mean \(j)")
            #expect(abs(fitted.scale[j] - fixture.scaler.scale[j]) <= 1e-9 * fixture.scaler.scale[j], "scale \(j)")
        }
    }

    @Test(arguments: [0, 1]) func logisticRegressionMatchesScikitLearn(index: Int) throws {
        let reference = fixture.logistic_regression[index]
        let (train, test) = fixture.standardized
        // Converged tightly, as the fixture's (tol 1e-10): both sides are then at the one minimum.
        let model = try LogisticRegression(c: reference.C!, tolerance: 1e-9, maxIterations: 5000)
            .fit(train, labels: fixture.train_labels, classCount: fixture.classes)
        #expect(model.converged)
        let coefficients = try #require(reference.coefficients)
        var worst = 0.0
        for k in 0..<fixture.classes {
            for j in 0..<train.columns { worst = max(worst, abs(model.coefficients[k, j] - coefficients[k][j])) }
            worst = max(worst, abs(model.intercepts[k] - reference.intercepts![k]))
        }
        // Two solvers stopped at gradient 1e-9 and 1e-10 agree to about 1e-6 on weights near 1.
        #expect(worst < 1e-5, "largest coefficient difference \(worst) for C = \(reference.C!)")
        let predicted = model.predict(test)
        #expect(SklearnFixture.agreement(predicted, reference.predictions) >= 0.99)
        let accuracy = SklearnFixture.agreement(predicted, fixture.test_labels)
        #expect(abs(accuracy - reference.accuracy) <= 0.01, "ours \(accuracy), scikit-learn \(reference.accuracy)")
    }

    @Test func logisticRegressionWithDefaultStoppingStaysClose() throws {
        let reference = fixture.logistic_regression[0]
        let (train, test) = fixture.standardized
        let model = try LogisticRegression(c: reference.C!).fit(train, labels: fixture.train_labels, classCount: fixture.classes)
        let predicted = model.predict(test)
        #expect(SklearnFixture.agreement(predicted, reference.predictions) >= 0.97)
        #expect(abs(SklearnFixture.agreement(predicted, fixture.test_labels) - reference.accuracy) <= 0.01)
    }

    @Test(arguments: [0, 1, 2, 3]) func kNearestNeighborsMatchesScikitLearn(index: Int) throws {
        let reference = fixture.knn[index]
        let (train, test) = fixture.standardized
        let metric = try #require(KNearestNeighbors.Metric(rawValue: reference.metric!))
        let model = try KNearestNeighbors(k: reference.k!, metric: metric)
            .fit(train, labels: fixture.train_labels, classCount: fixture.classes)
        let predicted = model.predict(test)
        // Same neighbours, same votes, same tie rule: only a distance tie decided by rounding could differ.
        #expect(SklearnFixture.agreement(predicted, reference.predictions) >= 0.99, "k \(reference.k!) \(metric)")
        #expect(abs(SklearnFixture.agreement(predicted, fixture.test_labels) - reference.accuracy) <= 0.01)
    }

    @Test(arguments: [0, 1, 2]) func gaussianNaiveBayesMatchesScikitLearn(index: Int) throws {
        let reference = fixture.naive_bayes[index]
        let (train, test) = fixture.standardized
        let model = try GaussianNaiveBayes(varianceSmoothing: reference.var_smoothing!)
            .fit(train, labels: fixture.train_labels, classCount: fixture.classes)
        for k in 0..<fixture.classes {
            #expect(abs(model.priors[k] - reference.priors![k]) < 1e-12)
            for j in 0..<train.columns {
                #expect(abs(model.means[k, j] - reference.means![k][j]) < 1e-9)
                #expect(abs(model.variances[k, j] - reference.variances![k][j]) < 1e-9 * reference.variances![k][j])
            }
        }
        let predicted = model.predict(test)
        #expect(predicted == reference.predictions)
        #expect(abs(SklearnFixture.agreement(predicted, fixture.test_labels) - reference.accuracy) <= 0.01)
    }

    @Test(arguments: [0, 1]) func supportVectorMachineMatchesScikitLearn(index: Int) throws {
        let reference = fixture.svm[index]
        let (train, test) = fixture.standardized
        let gamma: SupportVectorMachine.Gamma = index == 0 ? .scale : .value(reference.gamma_value!)
        let c = index == 0 ? 1.0 : 10.0
        let model = try SupportVectorMachine(c: c, gamma: gamma).fit(train, labels: fixture.train_labels, classCount: fixture.classes)
        #expect(abs(model.gamma - reference.gamma_value!) < 1e-12 * reference.gamma_value!)
        // libsvm's solver stops at tolerance 1e-3 on both sides; the support sets agree but for
        // examples whose coefficient sits at that tolerance.
        let ours = Set(model.supportIndices), theirs = Set(reference.support!)
        #expect(Double(ours.symmetricDifference(theirs).count) <= 0.02 * Double(theirs.count),
                "support vectors: ours \(ours.count), scikit-learn \(theirs.count)")
        for (a, b) in zip(model.supportCounts, reference.support_per_class!) { #expect(abs(a - b) <= 2) }
        let predicted = model.predict(test)
        #expect(SklearnFixture.agreement(predicted, reference.predictions) >= 0.98)
        #expect(abs(SklearnFixture.agreement(predicted, fixture.test_labels) - reference.accuracy) <= 0.01)
    }

    @Test func supportVectorMachineAgreesWithLibSVMsOwnPrediction() throws {
        let (train, test) = fixture.standardized
        let model = try SupportVectorMachine(c: 3).fit(train, labels: fixture.train_labels, classCount: fixture.classes)
        // libsvm's svm_predict on the model we assembled: the same votes from its own sparse kernel.
        let libsvm = (0..<test.rows).map { model.libsvm.predict(test.row($0)) }
        #expect(model.predict(test) == libsvm)
    }
}
