import Foundation

/// A 2D array of floats as an image through a colormap, with a colour bar: a mel spectrogram,
/// mel bands up (row 0 at the bottom), time frames across.
///
/// ```swift
/// let chart = ImagePlot(title: "Mel spectrogram, track 2", rows: melDB,   // melDB[band][frame]
///                       xAxis: .seconds(framesPerSecond: 22050 / 512),
///                       yAxis: .index("mel band"), valueRange: -80...0, colorBarLabel: "dB")
/// try chart.render().write(to: url)
/// ```
public struct ImagePlot: Sendable {
    /// How cell positions along one side become axis values: cell `i` spans
    /// `start + i * step` to `start + (i + 1) * step`.
    public struct Axis: Sendable, Hashable {
        /// The axis title, with its unit ("time (s)").
        public var label: String
        /// The value at the outer edge of cell 0 (the left or bottom edge of the image).
        public var start: Double
        /// The value each cell spans; positive.
        public var step: Double

        public init(label: String, start: Double = 0, step: Double = 1) {
            self.label = label
            self.start = start
            self.step = step
        }

        /// Cell numbers: a bin or band index.
        public static func index(_ label: String) -> Axis { Axis(label: label) }

        /// Time in seconds, for frames at `framesPerSecond` (sample rate / hop length).
        public static func seconds(framesPerSecond: Double, label: String = "time (s)") -> Axis {
            Axis(label: label, step: 1 / framesPerSecond)
        }

        /// Frequency in hertz, for linearly spaced bins `binWidth` Hz apart (an STFT's
        /// sample rate / FFT size), the first centred on 0 Hz.
        public static func hertz(binWidth: Double, label: String = "frequency (Hz)") -> Axis {
            Axis(label: label, start: -binWidth / 2, step: binWidth)
        }

        /// Whether every cell edge falls on a whole number, so that ticks should too.
        var isWholeNumbered: Bool { start == start.rounded() && step == step.rounded() }
    }

    public var title: String
    /// `rowCount` x `columnCount` values, row-major, row 0 at the bottom of the image.
    public var values: [Float]
    public var rowCount: Int
    public var columnCount: Int
    public var xAxis: Axis
    public var yAxis: Axis
    public var colormap: Colormap
    /// The values mapped to the colormap's ends (`-80...0` dB); `nil` for the data's finite
    /// minimum and maximum. Values beyond are clamped, -infinity to the low end.
    public var valueRange: ClosedRange<Double>?
    /// The colour bar's title, with its unit ("dB").
    public var colorBarLabel: String

    /// An image from `values`, row-major with row 0 at the bottom.
    public init(title: String = "", values: [Float], rowCount: Int, columnCount: Int,
                xAxis: Axis = .index("frame"), yAxis: Axis = .index("band"), colormap: Colormap = .magma,
                valueRange: ClosedRange<Double>? = nil, colorBarLabel: String = "") {
        self.title = title
        self.values = values
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.colormap = colormap
        self.valueRange = valueRange
        self.colorBarLabel = colorBarLabel
    }

    /// An image from its rows, `rows[0]` at the bottom (a spectrogram's `[band][frame]`);
    /// ragged rows are reported by `render`.
    public init(title: String = "", rows: [[Float]], xAxis: Axis = .index("frame"), yAxis: Axis = .index("band"),
                colormap: Colormap = .magma, valueRange: ClosedRange<Double>? = nil, colorBarLabel: String = "") {
        let columns = rows.first?.count ?? 0
        self.init(title: title, values: rows.allSatisfy { $0.count == columns } ? Array(rows.joined()) : [],
                  rowCount: rows.count, columnCount: columns, xAxis: xAxis, yAxis: yAxis, colormap: colormap,
                  valueRange: valueRange, colorBarLabel: colorBarLabel)
    }

    /// Draws the image, stretched to fill the plot area; when it has more cells than pixels,
    /// each pixel shows the mean of the cells it covers.
    /// - Parameters:
    ///   - width: figure width in pixels.
    ///   - height: figure height in pixels.
    /// - Throws: `PlotError.invalidChart` when the values do not fill `rowCount` x `columnCount`,
    ///   an axis step is not positive, or the figure is too small for its labels.
    public func render(width: Int = 800, height: Int = 400) throws -> Figure {
        let chart = chartName("image plot", title: title)
        guard rowCount > 0, columnCount > 0, values.count == rowCount * columnCount else {
            throw PlotError.invalidChart(chart: chart, reason: "\(values.count) values do not fill \(rowCount) rows of \(columnCount) columns (or the rows differ in length)")
        }
        for axis in [xAxis, yAxis] where !(axis.step > 0 && axis.step.isFinite && axis.start.isFinite) {
            throw PlotError.invalidChart(chart: chart, reason: "the axis \"\(axis.label)\" has a step of \(axis.step); it must be positive")
        }
        let range = valueRange ?? finiteRange(values.lazy.map(Double.init))
        let xDomain = xAxis.start...(xAxis.start + xAxis.step * Double(columnCount))
        let yDomain = yAxis.start...(yAxis.start + yAxis.step * Double(rowCount))
        let xTicks = NiceTicks(within: xDomain, integers: xAxis.isWholeNumbered)
        let yTicks = NiceTicks(within: yDomain, integers: yAxis.isWholeNumbered)
        let bar = ColorBar(colormap: colormap, range: range, label: colorBarLabel)

        let figure = try Figure(width: width, height: height)
        let canvas = Canvas(figure)
        // Ticks lie inside the image, so the last label overhangs its right edge only when a
        // tick falls on the edge; the colour bar is further right anyway.
        let plot = try Axes.plotArea(on: canvas, title: title, xLabel: xAxis.label, yLabel: yAxis.label, yTickLabels: yTicks.labels,
                                     bottomHeight: Axes.tickLabelsHeight(on: canvas), rightOverhang: 0,
                                     reservedRight: Style.colorBarGap + bar.width(on: canvas), chart: chart)
        figure.plotArea = plot
        let axes = Axes(plot: plot, x: LinearScale(domain: xDomain, pixels: (plot.minX, plot.maxX)),
                        y: LinearScale(domain: yDomain, pixels: (plot.maxY, plot.minY)))

        canvas.paintPixels(resampled(width: Int(plot.width), height: Int(plot.height), range: range),
                           width: Int(plot.width), height: Int(plot.height), x: Int(plot.minX), y: Int(plot.minY))
        axes.drawFrame(on: canvas)
        axes.drawXTicks(on: canvas, xTicks)
        axes.drawYTicks(on: canvas, yTicks)
        Axes.drawXLabel(on: canvas, xAxis.label, plot: plot, below: Axes.tickLabelsHeight(on: canvas))
        let yTickWidth = canvas.maximumWidth(yTicks.labels, .tickLabel)
        Axes.drawYLabel(on: canvas, yAxis.label, plot: plot, left: Style.tickLength + Style.tickLabelGap + yTickWidth)
        Axes.drawTitle(on: canvas, title, over: plot)
        let strip = Rect(x: plot.maxX + Style.colorBarGap, y: plot.minY, width: Style.colorBarWidth, height: plot.height)
        bar.draw(on: canvas, strip: strip)
        try canvas.finish(chart: chart)
        return figure
    }

    /// For each output pixel along a side of `pixels` pixels over `cells` cells, the cells it
    /// shows: the one under its centre when enlarging, those whose centres it covers when
    /// shrinking (never none).
    private static func cellSpans(pixels: Int, cells: Int) -> [Range<Int>] {
        let scale = Double(cells) / Double(pixels)
        return (0..<pixels).map { p in
            let (from, to) = (Double(p) * scale, Double(p + 1) * scale)
            let first = Int((from - 0.5).rounded(.up)), last = Int((to - 0.5).rounded(.up))
            if first < last { return max(0, first)..<min(cells, last) }
            let nearest = min(cells - 1, Int((from + to) / 2))
            return nearest..<(nearest + 1)
        }
    }

    /// The image at `width` x `height` pixels, top row first, as opaque Cairo words: values
    /// averaged in data space (not colour space, as matplotlib does), then coloured.
    private func resampled(width: Int, height: Int, range: ClosedRange<Double>) -> [UInt32] {
        let table = colormap.packedTable()
        let columns = Self.cellSpans(pixels: width, cells: columnCount)
        // Output row 0 is the top of the image: the last data row.
        let rows = Self.cellSpans(pixels: height, cells: rowCount).reversed().map { $0 }
        let (low, high) = (range.lowerBound, range.upperBound)
        let span = high - low
        var pixels = [UInt32](repeating: 0, count: width * height)
        values.withUnsafeBufferPointer { data in
            for (py, rowSpan) in rows.enumerated() {
                for (px, columnSpan) in columns.enumerated() {
                    var sum = 0.0, count = 0
                    for row in rowSpan {
                        for column in columnSpan {
                            let value = Double(data[row * columnCount + column])
                            guard !value.isNaN else { continue }
                            sum += min(max(value, low), high)
                            count += 1
                        }
                    }
                    let t = count == 0 || span <= 0 ? 0 : (sum / Double(count) - low) / span
                    pixels[py * width + px] = table[min(table.count - 1, max(0, Int(t * Double(table.count))))]
                }
            }
        }
        return pixels
    }
}
