import Foundation
import TFRecord

/// The files `Fixtures/make_fixtures.py` wrote with TensorFlow, and what they hold.
enum Fixtures {
    /// The path of a fixture file.
    static func path(_ name: String) throws -> String {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Fixtures") else {
            throw FixtureError("the test bundle has no resources")
        }
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw FixtureError("no fixture \(name)") }
        return url.path
    }

    /// The raw bytes of a fixture file.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(name))))
    }

    /// The Examples `examples.json` says the fixture files hold, in record order.
    static func expectedExamples() throws -> [Example] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try path("examples.json")))
        let file = try JSONDecoder().decode(ExpectedFile.self, from: data)
        return try file.examples.map { features in
            Example(features: try features.mapValues { try $0.feature() })
        }
    }

    /// The uncompressed records of `examples.tfrec`, split by hand from the framing (length
    /// at 0, data at 12, 16 bytes of framing per record), independently of our reader.
    static func rawRecords() throws -> [[UInt8]] {
        let file = try bytes("examples.tfrec")
        var records: [[UInt8]] = []
        var offset = 0
        while offset < file.count {
            var length = 0
            for byte in 0..<8 { length |= Int(file[offset + byte]) << (8 * byte) }
            records.append(Array(file[(offset + 12)..<(offset + 12 + length)]))
            offset += 16 + length
        }
        return records
    }

    private struct ExpectedFile: Decodable {
        let examples: [[String: ExpectedFeature]]
    }

    private struct ExpectedFeature: Decodable {
        let kind: String
        let bits: [UInt32]?
        let values: [String]?
        let hex: [String]?

        func feature() throws -> Feature {
            switch kind {
            case "float": return .float((bits ?? []).map(Float.init(bitPattern:)))
            case "int64": return .int64(try (values ?? []).map { try parseInt64($0) })
            case "bytes": return .bytes(try (hex ?? []).map { try parseHex($0) })
            default: throw FixtureError("unknown kind \(kind)")
            }
        }

        private func parseInt64(_ text: String) throws -> Int64 {
            guard let value = Int64(text) else { throw FixtureError("bad int64 \(text)") }
            return value
        }

        private func parseHex(_ text: String) throws -> [UInt8] {
            let digits = Array(text.utf8)
            guard digits.count % 2 == 0 else { throw FixtureError("odd hex \(text)") }
            return try stride(from: 0, to: digits.count, by: 2).map { index in
                guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                    throw FixtureError("bad hex \(text)")
                }
                return byte
            }
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Compares Examples bit for bit, so that NaN equals NaN and -0.0 differs from 0.0.
func sameBits(_ a: Example, _ b: Example) -> Bool {
    guard Set(a.features.keys) == Set(b.features.keys) else { return false }
    for (key, left) in a.features {
        switch (left, b.features[key]!) {
        case let (.float(x), .float(y)):
            if x.map(\.bitPattern) != y.map(\.bitPattern) { return false }
        case let (.int64(x), .int64(y)):
            if x != y { return false }
        case let (.bytes(x), .bytes(y)):
            if x != y { return false }
        default:
            return false
        }
    }
    return true
}

/// An article-shaped Example: `song` of `window` floats, `class`, `one_hot_class` of 8.
func articleExample(index: Int, window: Int) -> Example {
    let label = index % 8
    var oneHot = [Float](repeating: 0, count: 8)
    oneHot[label] = 1
    let song = (0..<window).map { Float(sin(Double(index * window + $0) * 0.01)) }
    return Example(features: ["song": .float(song), "class": .int64([Int64(label)]), "one_hot_class": .float(oneHot)])
}

/// The first offset where two byte strings differ (or where the shorter ends); `nil` if equal.
/// Keeps a failing comparison of long records readable.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
    if let index = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset { return index }
    return a.count == b.count ? nil : min(a.count, b.count)
}
