import Foundation

/// The models the report expects a row for, step by step, and what the article says of each.
///
/// A model step may write any models it likes; these are the ones the notebook promises, so
/// that a model that is missing shows as a missing row instead of silently leaving the table.
/// Ids are matched with their aliases (`knn` or `k_nearest_neighbours`).
public struct ExpectedModel: Sendable, Equatable {
    /// The `ModelResult.id` the step writes, and other spellings accepted for it.
    public var id: String
    public var aliases: [String]
    public var title: String
    public var step: Workspace.Step
    /// For transfer learning, the base network, whose results live in `07-transfer/<base>/`.
    public var base: String?
    /// The article's finding for this model, in words (it reports no numbers in its text).
    public var article: String

    public init(id: String, aliases: [String] = [], title: String, step: Workspace.Step, base: String? = nil,
                article: String) {
        self.id = id
        self.aliases = aliases
        self.title = title
        self.step = step
        self.base = base
        self.article = article
    }

    /// Whether a result written by a step is this model.
    public func matches(_ resultID: String) -> Bool {
        let key = Self.normalized(resultID)
        return ([id] + aliases).contains { Self.normalized($0) == key }
    }

    private static func normalized(_ id: String) -> String {
        String(id.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}

/// The article's findings (Hermez, Cheung and Gu, 2020, "Model results"): its results table was
/// an image, and its text gives a ranking, not accuracies. The transfer-learning CNN on
/// spectrograms was best; SVM and Gaussian naive Bayes performed similarly to it; the raw-audio
/// CNN was weak, seeing under 1 % of each clip.
public enum ArticleFinding {
    public static let summary = "The article reports no accuracies in its text (its results table was an image): "
        + "transfer learning on spectrograms (MobileNetV2) was best, SVM and Gaussian naive Bayes came close to it, "
        + "and the raw-audio CNN was weak, seeing under 1 % of each clip."
    public static let best = "best of all its models"
    public static let close = "close to the best"
    public static let weak = "weak (sees under 1 % of each clip)"
    public static let unranked = "used; not ranked in the text"
    public static let notInArticle = "not in the article"

    /// A figure the authors' repository gives (its README and code comments, on FMA small with a
    /// random 80/20 split and no artist filter): weak evidence, so it is marked as such.
    public static func repository(_ accuracy: String) -> String {
        "; the authors' repository: \(accuracy) on FMA small (random split, low confidence)"
    }
}

public enum ModelCatalog {
    /// The models of steps 05 to 07 under `config`: the four classical models, the raw-audio
    /// CNN (and its crop-trained variant when `cnn.crops`), one transfer head per base network
    /// in `transfer.bases`.
    public static func expected(for config: GenreConfig) -> [ExpectedModel] {
        var models = [
            ExpectedModel(id: "logistic_regression", aliases: ["logreg", "lr"], title: "Logistic regression",
                          step: .classical, article: ArticleFinding.unranked),
            ExpectedModel(id: "knn", aliases: ["k_nearest_neighbours", "k_nearest_neighbors", "kneighbors"],
                          title: "k-nearest neighbours", step: .classical,
                          article: ArticleFinding.unranked + ArticleFinding.repository("about 45 %")),
            ExpectedModel(id: "naive_bayes", aliases: ["gaussian_naive_bayes", "gnb", "gaussian_nb"],
                          title: "Gaussian naive Bayes", step: .classical,
                          article: ArticleFinding.close + ArticleFinding.repository("about 34 %")),
            ExpectedModel(id: "svm", aliases: ["svc", "svm_rbf"], title: "SVM (RBF kernel)", step: .classical,
                          article: ArticleFinding.close + ArticleFinding.repository("about 47.75 %")),
            ExpectedModel(id: "raw_cnn", aliases: ["cnn1d", "raw_audio_cnn"], title: "Raw-audio CNN (first window)",
                          step: .rawCNN, article: ArticleFinding.weak),
        ]
        if config.cnn.crops {
            models.append(ExpectedModel(id: "raw_cnn_crops", aliases: ["raw_cnn_crop", "cnn1d_crops"],
                                        title: "Raw-audio CNN (random crops, clip averaged)", step: .rawCNN,
                                        article: ArticleFinding.notInArticle))
        }
        for base in transferBases(config) {
            let isArticles = base.lowercased().hasPrefix("mobilenet")
            models.append(ExpectedModel(
                id: base, aliases: ["transfer_\(base)"], title: "Transfer learning: \(baseTitle(base))",
                step: .transfer, base: base,
                article: isArticles ? ArticleFinding.best + ArticleFinding.repository("about 40 %") : ArticleFinding.notInArticle))
        }
        return models
    }

    /// `transfer.bases`, split at commas.
    public static func transferBases(_ config: GenreConfig) -> [String] {
        config.transfer.bases.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `mobilenet_v2` → `MobileNetV2`, `musicnn` → `musicnn (MSD)`; others as they are.
    public static func baseTitle(_ base: String) -> String {
        switch base.lowercased() {
        case "mobilenet_v2", "mobilenetv2": "MobileNetV2 (ImageNet)"
        case "musicnn": "musicnn (Million Song Dataset)"
        default: base
        }
    }
}
