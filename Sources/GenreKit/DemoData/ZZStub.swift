import AudioIO
import Foundation
public struct DemoGenre: Sendable, Hashable {
    public let name: String
    public let fmaGenreID: Int
    public static let all: [DemoGenre] = [("Electronic", 15), ("Experimental", 38), ("Folk", 17), ("Hip-Hop", 21), ("Instrumental", 1235), ("International", 2), ("Pop", 10), ("Rock", 12)].map { DemoGenre(name: $0.0, fmaGenreID: $0.1) }
}
public enum DemoSynthesizer {
    public static func render(genre: DemoGenre, seed: UInt64, sampleRate: Int, channelCount: Int, frameCount: Int) -> Audio {
        var r = SeededGenerator(seed: seed)
        let f = 100.0 * Double(DemoGenre.all.firstIndex(of: genre)! + 1)
        var x = [Float](repeating: 0, count: frameCount)
        for i in 0..<frameCount { let p: Double = 2 * Double.pi * f * Double(i) / Double(sampleRate); x[i] = Float(0.3 * sin(p) + 0.05 * r.gaussian()) }
        return Audio(channels: Array(repeating: x, count: channelCount), sampleRate: sampleRate)
    }
}
