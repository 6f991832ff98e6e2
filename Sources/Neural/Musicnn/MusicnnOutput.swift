/// What musicnn says about a piece of audio, one row per 3-second patch (187 frames of
/// 16 ms; consecutive, not overlapping, the trailing partial patch dropped as musicnn does).
public struct MusicnnOutput: Sendable, Equatable {
    /// The 200-d embedding of each patch: the penultimate layer (dense 200, ReLU, batch norm),
    /// musicnn's `penultimate` feature, [patches][200].
    public var embeddings: [[Float]]
    /// The 50 tag probabilities of each patch (sigmoid of the logits), in the order of
    /// `MusicnnModel.tagNames`; musicnn's "taggram", [patches][50].
    public var tags: [[Float]]

    public init(embeddings: [[Float]], tags: [[Float]]) {
        self.embeddings = embeddings
        self.tags = tags
    }

    /// The number of patches.
    public var patchCount: Int { tags.count }

    /// The embedding averaged over the patches, 200 values (empty when there is no patch):
    /// a whole clip's embedding for transfer learning.
    public var meanEmbedding: [Float] { Self.columnMeans(embeddings) }

    /// The largest value of each embedding dimension over the patches, 200 values.
    public var maxEmbedding: [Float] {
        guard var result = embeddings.first else { return [] }
        for row in embeddings.dropFirst() { for (j, value) in row.enumerated() { result[j] = max(result[j], value) } }
        return result
    }

    /// Each tag's probability averaged over the patches, as `musicnn.tagger.top_tags` ranks them.
    public var meanTags: [Float] { Self.columnMeans(tags) }

    private static func columnMeans(_ rows: [[Float]]) -> [Float] {
        guard let first = rows.first else { return [] }
        var sums = [Float](repeating: 0, count: first.count)
        for row in rows { for (j, value) in row.enumerated() { sums[j] += value } }
        return sums.map { $0 / Float(rows.count) }
    }

    /// The `count` most probable tags over the whole input, most probable first.
    public func topTags(_ count: Int) -> [(tag: String, probability: Float)] {
        meanTags.enumerated().sorted { $0.element > $1.element }.prefix(count).map {
            (MusicnnModel.tagNames[$0.offset], $0.element)
        }
    }
}
