import Foundation
@testable import Spectral
import Testing

@Suite struct MelImageTests {
    let image = MelImage(height: 224, width: 224, channels: 3, samples: 50176, sampleRate: 44100)

    func sine(_ frequency: Double, count: Int = 50176, rate: Double = 44100) -> [Float] {
        (0..<count).map { Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / rate)) }
    }

    @Test func hasTheArticlesShapeAndMobileNetsRange() {
        let pixels = image.render(sine(1000))
        #expect(pixels.count == 224 * 224 * 3)
        #expect(pixels.min()! >= -1 && pixels.max()! == 1)
        // The three channels are the same picture.
        for i in stride(from: 0, to: pixels.count, by: 3) {
            #expect(pixels[i] == pixels[i + 1] && pixels[i] == pixels[i + 2])
            if pixels[i] != pixels[i + 1] { break }
        }
    }

    @Test func silenceIsDark() {
        #expect(image.render([Float](repeating: 0, count: 50176)).allSatisfy { $0 == -1 })
    }

    @Test func shortInputIsPaddedWithSilence() {
        let short = image.render(sine(1000, count: 25088))
        // The right half of the picture (frames past the signal) is at the floor.
        let lastFrame = (0..<224).map { row in short[(row * 224 + 223) * 3] }
        #expect(lastFrame.allSatisfy { $0 == -1 })
    }

    /// A tone lights the band that holds its frequency; higher tones sit higher in the
    /// picture (row 0 is the top).
    @Test(arguments: [300.0, 1000.0, 5000.0])
    func toneLightsItsBand(frequency: Double) {
        let pixels = image.render(sine(frequency))
        let column = 112
        let rows = (0..<224).map { pixels[($0 * 224 + column) * 3] }
        let brightest = rows.firstIndex(of: rows.max()!)!
        let bank = image.mel.filterBank
        let bin = Int((frequency * Double(bank.fftSize) / 44100).rounded())
        let bestBand = (0..<bank.bandCount).max { bank.weights[$0 * bank.binCount + bin] < bank.weights[$1 * bank.binCount + bin] }!
        #expect(abs((223 - brightest) - bestBand) <= 1, "tone \(frequency) Hz at row \(brightest), band \(bestBand)")
    }

    @Test func hopCoversTheSpanInWidthFrames() {
        #expect(image.mel.stft.hopLength == 224)
        #expect(image.mel.stft.frameCount(forSampleCount: 50176) >= 224)
    }
}
