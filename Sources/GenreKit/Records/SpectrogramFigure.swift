import Foundation
import Plot
import Spectral

extension MelImage {
    /// Draws an image this `MelImage` rendered as a spectrogram figure: time in seconds across,
    /// mel band up, colour in dB below the loudest cell (the image's -1...1 is -80...0 dB).
    public func figure(of pixels: [Float], sampleRate: Int, title: String) throws -> Figure {
        precondition(pixels.count == height * width * channels, "not an image of this MelImage")
        // The image's row 0 is the highest band; the plot wants band 0 at the bottom.
        var rows: [[Float]] = []
        for band in 0..<height {
            let row = height - 1 - band
            rows.append((0..<width).map { frame in (pixels[(row * width + frame) * channels] - 1) / 2 * dynamicRange })
        }
        let hop = Double(mel.stft.hopLength)
        return try ImagePlot(
            title: title, rows: rows,
            xAxis: .seconds(framesPerSecond: Double(sampleRate) / hop),
            yAxis: .index("mel band"), colormap: .magma, valueRange: -Double(dynamicRange)...0,
            colorBarLabel: "dB").render(width: 720, height: 400)
    }
}
