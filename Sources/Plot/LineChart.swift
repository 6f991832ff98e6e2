import Foundation

/// Lines through (x, y) points, one per named series: loss and accuracy per epoch.
///
/// ```swift
/// let chart = LineChart(title: "Loss", xLabel: "epoch", yLabel: "cross-entropy", series: [
///     .init(name: "training", y: trainingLoss),
///     .init(name: "validation", y: validationLoss, dash: .dashed, marker: .circle),
/// ])
/// try chart.render().write(to: folder.appendingPathComponent("loss.png"))
/// ```
public struct LineChart: Sendable {
    /// A line's dash pattern, in multiples of its width (matplotlib's patterns).
    public enum Dash: Sendable, Hashable {
        case solid, dashed, dotted, dashDot

        func pattern(width: Double) -> [Double] {
            let unit: [Double] = switch self {
            case .solid: []
            case .dashed: [3.7, 1.6]
            case .dotted: [1, 1.65]
            case .dashDot: [6.4, 1.6, 1, 1.6]
            }
            return unit.map { $0 * width }
        }
    }

    /// A symbol drawn at every point of a series.
    public enum Marker: Sendable, Hashable {
        case none, circle, square, triangle, diamond
    }

    /// One line.
    public struct Series: Sendable, Hashable {
        /// The legend entry; an unnamed series has none.
        public var name: String
        public var x: [Double]
        /// As many values as `x`; a NaN or infinite value leaves a gap in the line.
        public var y: [Double]
        /// `nil` for the next colour of matplotlib's cycle (`RGB.palette`).
        public var color: RGB?
        public var dash: Dash
        public var marker: Marker
        /// Stroke width in pixels.
        public var lineWidth: Double

        /// A series through the points (`x[i]`, `y[i]`).
        public init(name: String, x: [Double], y: [Double], color: RGB? = nil, dash: Dash = .solid,
                    marker: Marker = .none, lineWidth: Double = 2) {
            self.name = name
            self.x = x
            self.y = y
            self.color = color
            self.dash = dash
            self.marker = marker
            self.lineWidth = lineWidth
        }

        /// A series of values at x = `firstX`, `firstX` + 1, ...: per-epoch metrics, epochs from 1.
        public init(name: String, y: [Double], firstX: Double = 1, color: RGB? = nil, dash: Dash = .solid,
                    marker: Marker = .none, lineWidth: Double = 2) {
            self.init(name: name, x: y.indices.map { firstX + Double($0) }, y: y, color: color, dash: dash,
                      marker: marker, lineWidth: lineWidth)
        }

        /// The marker drawn: a lone finite point has no line to show it, so it gets a circle
        /// even if the series has no marker.
        var visibleMarker: Marker {
            let finite = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }.count
            return finite == 1 && marker == .none ? .circle : marker
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// A fixed x range; `nil` for the data's range and 5% either side.
    public var xRange: ClosedRange<Double>?
    /// A fixed y range (accuracy: `0...1`); `nil` for the data's range and 5% either side.
    public var yRange: ClosedRange<Double>?
    /// Whether named series get a legend, placed in the corner of the plot the lines cross least.
    public var showsLegend: Bool

    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [Series],
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, showsLegend: Bool = true) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xRange = xRange
        self.yRange = yRange
        self.showsLegend = showsLegend
    }

    /// Draws the chart.
    /// - Parameters:
    ///   - width: figure width in pixels.
    ///   - height: figure height in pixels.
    /// - Throws: `PlotError.invalidChart` when a series' x and y differ in length, no point is
    ///   finite, or the figure is too small for its labels.
    public func render(width: Int = 800, height: Int = 500) throws -> Figure {
        let chart = chartName("line chart", title: title)
        for s in series where s.x.count != s.y.count {
            throw PlotError.invalidChart(chart: chart, reason: "the series \"\(s.name)\" has \(s.x.count) x values but \(s.y.count) y values")
        }
        let points = series.flatMap { zip($0.x, $0.y).filter { $0.0.isFinite && $0.1.isFinite } }
        guard let first = points.first else {
            throw PlotError.invalidChart(chart: chart, reason: "no series has a point with finite x and y")
        }
        let xs = points.map(\.0), ys = points.map(\.1)
        let integerX = xs.allSatisfy { $0 == $0.rounded() }
        let xData = (xs.min() ?? first.0)...(xs.max() ?? first.0)
        let yData = (ys.min() ?? first.1)...(ys.max() ?? first.1)
        let xDomain = xRange ?? NiceTicks.padded(xData, by: Style.dataMargin)
        let yDomain = yRange ?? NiceTicks.padded(yData, by: Style.dataMargin)
        let xTicks = NiceTicks(within: xDomain, integers: integerX)
        let yTicks = NiceTicks(within: yDomain)

        let figure = try Figure(width: width, height: height)
        let canvas = Canvas(figure)
        let lastXLabel = xTicks.values.last.map(xTicks.label) ?? ""
        let plot = try Axes.plotArea(on: canvas, title: title, xLabel: xLabel, yLabel: yLabel, yTickLabels: yTicks.labels,
                                     bottomHeight: Axes.tickLabelsHeight(on: canvas),
                                     rightOverhang: canvas.measure(lastXLabel, .tickLabel).width / 2, chart: chart)
        figure.plotArea = plot
        let axes = Axes(plot: plot,
                        x: LinearScale(domain: xDomain, pixels: (plot.minX, plot.maxX)),
                        y: LinearScale(domain: yDomain, pixels: (plot.maxY, plot.minY)))

        axes.drawVerticalGrid(on: canvas, at: xTicks.values)
        axes.drawHorizontalGrid(on: canvas, at: yTicks.values)
        var obstacles: [Point] = []
        canvas.clipped(to: plot.outset(by: Style.lineWidth)) {
            for (index, s) in series.enumerated() {
                obstacles += draw(s, color: s.color ?? RGB.palette(index), axes: axes, on: canvas)
            }
        }
        axes.drawFrame(on: canvas)
        axes.drawXTicks(on: canvas, xTicks)
        axes.drawYTicks(on: canvas, yTicks)
        Axes.drawXLabel(on: canvas, xLabel, plot: plot, below: Axes.tickLabelsHeight(on: canvas))
        let yTickWidth = canvas.maximumWidth(yTicks.labels, .tickLabel)
        Axes.drawYLabel(on: canvas, yLabel, plot: plot, left: Style.tickLength + Style.tickLabelGap + yTickWidth)
        Axes.drawTitle(on: canvas, title, over: plot)
        if showsLegend { drawLegend(on: canvas, plot: plot, avoiding: obstacles) }
        try canvas.finish(chart: chart)
        return figure
    }

    /// Draws one series and returns points along it, spaced a few pixels apart, for the legend
    /// to avoid.
    private func draw(_ s: Series, color: RGB, axes: Axes, on canvas: Canvas) -> [Point] {
        let points: [Point?] = zip(s.x, s.y).map { x, y in
            x.isFinite && y.isFinite ? Point(x: axes.x(x), y: axes.y(y)) : nil
        }
        canvas.polyline(points, color: color, width: s.lineWidth, dash: s.dash.pattern(width: s.lineWidth))
        let finite = points.compactMap { $0 }
        for point in finite { canvas.marker(s.visibleMarker, at: point, radius: Style.markerRadius, color: color) }

        var samples = finite
        for (a, b) in zip(points, points.dropFirst()) {
            guard let a, let b else { continue }
            let steps = Int((hypot(b.x - a.x, b.y - a.y) / 3).rounded(.up))
            for k in stride(from: 1, to: steps, by: 1) {
                let t = Double(k) / Double(steps)
                samples.append(Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t))
            }
        }
        return samples
    }

    /// The legend in whichever corner (or top or bottom centre) of the plot the fewest line
    /// samples fall in, matplotlib's `loc="best"`; ties go to the first in matplotlib's order.
    private func drawLegend(on canvas: Canvas, plot: Rect, avoiding obstacles: [Point]) {
        let named = series.enumerated().filter { !$0.element.name.isEmpty }
        guard !named.isEmpty else { return }
        let legend = Legend(entries: named.map { index, s in
            (s.name, .line(color: s.color ?? RGB.palette(index), width: s.lineWidth,
                           dash: s.dash.pattern(width: s.lineWidth), marker: s.visibleMarker))
        })
        let layout = legend.layout(on: canvas, .vertical)
        let (w, h) = layout.size
        let inset = Style.legendInset
        let (left, right) = (plot.minX + inset, plot.maxX - inset - w)
        let (top, bottom) = (plot.minY + inset, plot.maxY - inset - h)
        let center = plot.midX - w / 2
        let candidates = [Point(x: right, y: top), Point(x: left, y: top), Point(x: left, y: bottom),
                          Point(x: right, y: bottom), Point(x: center, y: top), Point(x: center, y: bottom)]
        let best = candidates.min { a, b in
            crossings(Rect(x: a.x, y: a.y, width: w, height: h), obstacles) < crossings(Rect(x: b.x, y: b.y, width: w, height: h), obstacles)
        } ?? candidates[0]
        legend.draw(on: canvas, layout, at: Point(x: best.x.rounded(), y: best.y.rounded()))
    }

    private func crossings(_ box: Rect, _ points: [Point]) -> Int {
        let margin = box.outset(by: Style.legendPadding / 2)
        return points.reduce(0) { $0 + (margin.contains(x: $1.x, y: $1.y) ? 1 : 0) }
    }
}
