import Foundation

/// The article's three findings, each checked against our results: does the ranking hold?
///
/// The article gives no accuracies, so the comparison is of rankings, with our numbers beside
/// them. "Close" means that the model's 95 % interval reaches the best model's interval;
/// "weak" that the raw-audio CNN scores below every classical model.
public struct ArticleComparison: Sendable {
    public struct Claim: Sendable {
        /// The article's finding, in words.
        public var article: String
        /// What our results show, with numbers.
        public var ours: String
        /// `true` if the finding holds here, `false` if not, `nil` when the models are missing.
        public var holds: Bool?
    }

    public var claims: [Claim]

    public static func compare(_ rows: [ModelRow], expected: [ExpectedModel]) -> ArticleComparison {
        let present = rows.compactMap { row in row.result.map { (row, $0) } }
        func find(_ id: String) -> (ModelRow, ModelResult)? {
            guard let model = expected.first(where: { $0.id == id }) else { return nil }
            return present.first { $0.0.step == model.step && model.matches($0.1.id) }
        }
        func describe(_ pair: (ModelRow, ModelResult)) -> String {
            "\(pair.0.title) \(ReportFormat.percent(pair.1.testAccuracy))"
        }
        var claims: [Claim] = []
        let best = present.max { $0.1.testAccuracy < $1.1.testAccuracy }

        // 1. Transfer learning is best.
        let transfer = present.filter { $0.0.step == .transfer }
        if let best, !transfer.isEmpty {
            claims.append(Claim(article: "Transfer learning on spectrograms is the best model.",
                                ours: "best: \(describe(best))", holds: best.0.step == .transfer))
        } else {
            claims.append(Claim(article: "Transfer learning on spectrograms is the best model.",
                                ours: "no transfer-learning result yet", holds: nil))
        }

        // 2. SVM and naive Bayes come close to the best.
        let pair = [find("svm"), find("naive_bayes")].compactMap { $0 }
        if let best, pair.count == 2 {
            let bestLower = best.1.accuracyInterval.first ?? best.1.testAccuracy
            let close = pair.allSatisfy { ($0.1.accuracyInterval.last ?? $0.1.testAccuracy) >= bestLower }
            let gaps = pair.map { String(format: "%@ %.1f points below", $0.0.title, 100 * (best.1.testAccuracy - $0.1.testAccuracy)) }
            claims.append(Claim(article: "SVM and Gaussian naive Bayes come close to it.",
                                ours: pair.map(describe).joined(separator: ", ") + "; " + gaps.joined(separator: ", "),
                                holds: close))
        } else {
            claims.append(Claim(article: "SVM and Gaussian naive Bayes come close to it.",
                                ours: "SVM or naive Bayes missing", holds: nil))
        }

        // 3. The raw-audio CNN is weak.
        let classical = present.filter { $0.0.step == .classical }
        if let raw = find("raw_cnn"), !classical.isEmpty {
            let weakest = classical.min { $0.1.testAccuracy < $1.1.testAccuracy }!
            claims.append(Claim(article: "The raw-audio CNN is weak (it sees under 1 % of each clip).",
                                ours: "\(describe(raw)); weakest classical model: \(describe(weakest))",
                                holds: raw.1.testAccuracy < weakest.1.testAccuracy))
        } else {
            claims.append(Claim(article: "The raw-audio CNN is weak (it sees under 1 % of each clip).",
                                ours: "the raw-audio CNN or the classical models missing", holds: nil))
        }
        return ArticleComparison(claims: claims)
    }

    public var table: MarkdownTable {
        MarkdownTable(header: ["the article", "here", "holds?"], alignments: [.left, .left, .center],
                      rows: claims.map { [$0.article, $0.ours, $0.holds.map { $0 ? "yes" : "no" } ?? "not yet"] })
    }
}
