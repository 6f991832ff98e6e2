import Foundation
import Learn
import Seeded
import Testing

/// `KNearestNeighbors` ranks with a float32 product and rescores the close calls in float64;
/// these tests hold it to a plain float64 search on data built so that float32 cannot tell
/// the neighbours apart.
@Suite struct KNearestNeighborsTests {
    /// Training rows: a few prototypes with entries in {−1, 0, 1}, each repeated many times,
    /// some copies exact (ties in distance), some moved by c · 2⁻²⁰ in one or two features
    /// (differences of about 1e-6 in a squared distance near 20, below float32's resolution).
    /// Queries: the prototypes, moved copies of them, and midpoints of two prototypes. Every
    /// squared distance is then a sum of at most 47 significant bits, exact in float64 in any
    /// order, so the reference below is unambiguous.
    static func nearTies(scale: Double) -> (train: FeatureMatrix, labels: [Int], test: FeatureMatrix) {
        var generator = SplitMix64(seed: 77)
        let d = 24, prototypeCount = 6
        let prototypes = (0..<prototypeCount).map { _ in (0..<d).map { _ in Double(Int.random(in: -1...1, using: &generator)) } }
        func moved(_ row: [Double]) -> [Double] {
            var row = row
            for _ in 0..<Int.random(in: 0...2, using: &generator) {
                row[Int.random(in: 0..<d, using: &generator)] += Double(Int.random(in: -2...2, using: &generator)) * 0x1p-20
            }
            return row
        }
        var train: [[Double]] = [], labels: [Int] = []
        for copy in 0..<60 {
            for p in prototypes {
                train.append(copy % 3 == 0 ? p : moved(p))
                labels.append(Int.random(in: 0..<4, using: &generator))
            }
        }
        var test: [[Double]] = prototypes + prototypes.map(moved) + prototypes.map(moved)
        for a in 0..<prototypeCount {
            test.append(zip(prototypes[a], prototypes[(a + 1) % prototypeCount]).map { ($0 + $1) / 2 })
        }
        let scaled = { (rows: [[Double]]) in FeatureMatrix(rows.map { $0.map { $0 * scale } }) }
        return (scaled(train), labels, scaled(test))
    }

    /// The float64 definition: squared distances summed in order, the k smallest by a stable
    /// sort (equal distances keep the earlier training example), the vote's tie to the lowest label.
    static func bruteForce(train: FeatureMatrix, labels: [Int], test: FeatureMatrix, k: Int, classCount: Int) -> [Int] {
        (0..<test.rows).map { i in
            let distances = (0..<train.rows).map { j in
                (0..<train.columns).reduce(0.0) { sum, c in sum + (test[i, c] - train[j, c]) * (test[i, c] - train[j, c]) }
            }
            let order = (0..<train.rows).sorted { distances[$0] != distances[$1] ? distances[$0] < distances[$1] : $0 < $1 }
            var counts = [Int](repeating: 0, count: classCount)
            for j in order.prefix(k) { counts[labels[j]] += 1 }
            return counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        }
    }

    // Scales: as built; 2⁷⁰, beyond what float32 products hold (the float64 fallback); 2⁻¹⁴⁰,
    // where float32 underflows to subnormals and zeros and only the absolute term of the
    // error bound keeps the right rows.
    @Test(arguments: [1.0, 0x1p70, 0x1p-140]) func euclideanNeighboursAreThoseOfAFloat64Search(scale: Double) throws {
        let (train, labels, test) = Self.nearTies(scale: scale)
        for k in [1, 5, 21, 60] {
            let fitted = try KNearestNeighbors(k: k).fit(train, labels: labels, classCount: 4)
            #expect(fitted.predict(test) == Self.bruteForce(train: train, labels: labels, test: test, k: k, classCount: 4),
                    "k \(k)")
        }
    }

    @Test func aTrainingRowIsItsOwnNearestNeighbour() throws {
        let (train, labels) = blobs(count: 300, classes: 5, dimensions: 40, separation: 1, seed: 5)
        let fitted = try KNearestNeighbors(k: 1).fit(train, labels: labels, classCount: 5)
        #expect(fitted.predict(train) == labels)
    }

    @Test func everyTrainingExampleVotesWhenKIsTheirCount() throws {
        let (train, labels, test) = Self.nearTies(scale: 1)
        let fitted = try KNearestNeighbors(k: train.rows).fit(train, labels: labels, classCount: 4)
        var counts = [Int](repeating: 0, count: 4)
        for label in labels { counts[label] += 1 }
        let majority = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        #expect(fitted.predict(test) == [Int](repeating: majority, count: test.rows))
    }
}
