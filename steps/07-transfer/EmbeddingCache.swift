import Foundation
import GenreKit

/// Embeddings already computed, kept between runs in `<base>/embeddings/<variant>.json` (the
/// index) and `<variant>.f32` (the rows, little-endian float32): a clip's embedding is reused
/// when the base network and the clip's input are unchanged.
///
/// `model` fingerprints the network and its options (the checkpoint's size and date, the
/// pooling); when it differs nothing is reused. Each row carries its input's `stamp` (the WAV
/// or shard file's size and date): a clip whose input changed is embedded again.
struct EmbeddingCache: Codable {
    var model: String
    var dimension: Int
    var trackIDs: [Int] = []
    var stamps: [String] = []
    /// Not in the JSON: the rows, in `trackIDs` order.
    var rows: [Int: (stamp: String, values: [Float])] = [:]

    enum CodingKeys: String, CodingKey { case model, dimension, trackIDs = "track_ids", stamps }

    init(model: String, dimension: Int) {
        self.model = model
        self.dimension = dimension
    }

    /// The cache at `folder/<name>.json`, or an empty one when absent, unreadable or made by
    /// another model.
    static func load(folder: URL, name: String, model: String, dimension: Int) -> EmbeddingCache {
        let empty = EmbeddingCache(model: model, dimension: dimension)
        guard let index = try? Data(contentsOf: folder.appendingPathComponent("\(name).json")),
              var cache = try? JSONDecoder().decode(EmbeddingCache.self, from: index),
              cache.model == model, cache.dimension == dimension, cache.stamps.count == cache.trackIDs.count,
              let data = try? Data(contentsOf: folder.appendingPathComponent("\(name).f32")),
              data.count == cache.trackIDs.count * dimension * 4
        else { return empty }
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        for (row, id) in cache.trackIDs.enumerated() {
            cache.rows[id] = (cache.stamps[row], Array(values[(row * dimension)..<((row + 1) * dimension)]))
        }
        return cache
    }

    /// The cached embedding of `trackID` if its input still has `stamp`.
    func embedding(_ trackID: Int, stamp: String) -> [Float]? {
        guard let row = rows[trackID], row.stamp == stamp else { return nil }
        return row.values
    }

    mutating func store(_ trackID: Int, stamp: String, values: [Float]) {
        precondition(values.count == dimension, "embedding of \(values.count) values for a cache of \(dimension)")
        rows[trackID] = (stamp, values)
    }

    /// Writes the rows (sorted by track id) and the index, each atomically, the rows first.
    func save(folder: URL, name: String) throws {
        var copy = self
        copy.trackIDs = rows.keys.sorted()
        copy.stamps = copy.trackIDs.map { rows[$0]!.stamp }
        let values = copy.trackIDs.flatMap { rows[$0]!.values }
        try AtomicFile.write(values.withUnsafeBytes { Data($0) }, to: folder.appendingPathComponent("\(name).f32"))
        try AtomicFile.writeJSON(copy, to: folder.appendingPathComponent("\(name).json"))
    }

    /// A file's size and modification date, the stamp of the inputs read from it.
    static func stamp(of url: URL) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(Int(date))"
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
