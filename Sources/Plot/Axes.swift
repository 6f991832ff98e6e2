/// The furniture of a chart with x and y axes (line and bar charts): where the plot area goes
/// given the text around it, then the grid, frame, ticks, axis titles and title.
struct Axes {
    /// The plot area, on whole pixels.
    var plot: Rect
    var x: LinearScale
    var y: LinearScale

    /// The plot area that leaves room for the title above, the y tick labels and axis title on
    /// the left, and `bottomHeight` pixels (tick labels or category names) plus the x axis title
    /// below; `rightOverhang` is how far text reaches right of the plot (half the last x tick
    /// label) and `leftOverhang` how far it reaches left of it (turned category names);
    /// `reservedTop` and `reservedRight` are kept free for a legend or a colour bar.
    static func plotArea(on canvas: Canvas, title: String, xLabel: String, yLabel: String,
                         yTickLabels: [String], bottomHeight: Double, rightOverhang: Double,
                         leftOverhang: Double = 0, reservedTop: Double = 0, reservedRight: Double = 0,
                         chart: String) throws -> Rect {
        let figure = canvas.figure
        let tick = canvas.measure("0", .tickLabel)
        var top = Style.outerMargin + titleHeight(on: canvas, title) + reservedTop
        top = max(top, Style.outerMargin + tick.capHeight / 2)
        var left = Style.outerMargin + Style.tickLength + Style.tickLabelGap + canvas.maximumWidth(yTickLabels, .tickLabel)
        if !yLabel.isEmpty { left += canvas.measure(yLabel, .axisLabel).height + Style.axisLabelGap }
        left = max(left, Style.outerMargin + leftOverhang)
        var bottom = Style.outerMargin + bottomHeight
        if !xLabel.isEmpty { bottom += canvas.measure(xLabel, .axisLabel).height + Style.axisLabelGap }
        let right = max(Style.outerMargin, rightOverhang + Style.tickLabelGap) + reservedRight
        let plot = Rect(x: left.rounded(.up), y: top.rounded(.up),
                        width: (Double(figure.width) - right - left).rounded(.down),
                        height: (Double(figure.height) - bottom - top).rounded(.down))
        guard plot.width >= Style.minimumPlotSize, plot.height >= Style.minimumPlotSize else {
            throw PlotError.invalidChart(chart: chart, reason: "a \(figure.width) x \(figure.height) pixel figure leaves no room for the plot inside its labels")
        }
        return plot
    }

    /// The height a title takes with its gap below, 0 without one.
    static func titleHeight(on canvas: Canvas, _ title: String) -> Double {
        title.isEmpty ? 0 : canvas.measure(title, .title).height + Style.titleGap
    }

    /// The title, centred over `plot` but kept inside the figure.
    static func drawTitle(on canvas: Canvas, _ title: String, over plot: Rect) {
        guard !title.isEmpty else { return }
        let width = canvas.measure(title, .title).width
        let figureWidth = Double(canvas.figure.width)
        let center = min(max(plot.midX, Style.outerMargin + width / 2), figureWidth - Style.outerMargin - width / 2)
        canvas.text(title, at: Point(x: center, y: Style.outerMargin), .title, horizontal: .center, vertical: .top)
    }

    /// The height of tick marks and one line of tick labels below the x axis.
    static func tickLabelsHeight(on canvas: Canvas) -> Double {
        Style.tickLength + Style.tickLabelGap + canvas.measure("0", .tickLabel).height
    }

    func drawHorizontalGrid(on canvas: Canvas, at values: [Double]) {
        for value in values {
            let py = crisp(y(value))
            canvas.line(from: Point(x: plot.minX, y: py), to: Point(x: plot.maxX, y: py), color: Style.grid, width: Style.gridWidth)
        }
    }

    func drawVerticalGrid(on canvas: Canvas, at values: [Double]) {
        for value in values {
            let px = crisp(x(value))
            canvas.line(from: Point(x: px, y: plot.minY), to: Point(x: px, y: plot.maxY), color: Style.grid, width: Style.gridWidth)
        }
    }

    /// The four spines, on the outermost pixel rows and columns of the plot area.
    func drawFrame(on canvas: Canvas) {
        let (left, right) = (plot.minX + 0.5, plot.maxX - 0.5)
        let (top, bottom) = (plot.minY + 0.5, plot.maxY - 0.5)
        let corners = [Point(x: left, y: top), Point(x: right, y: top), Point(x: right, y: bottom), Point(x: left, y: bottom), Point(x: left, y: top)]
        canvas.polyline(corners, color: Style.spine, width: Style.spineWidth, dash: [])
    }

    /// Outward tick marks and right-aligned labels left of the plot.
    func drawYTicks(on canvas: Canvas, _ ticks: NiceTicks) {
        for value in ticks.values {
            let py = crisp(y(value))
            canvas.line(from: Point(x: plot.minX, y: py), to: Point(x: plot.minX - Style.tickLength, y: py), color: Style.spine, width: Style.spineWidth)
            canvas.text(ticks.label(value), at: Point(x: plot.minX - Style.tickLength - Style.tickLabelGap, y: py),
                        .tickLabel, horizontal: .right, vertical: .middle)
        }
    }

    /// Outward tick marks and centred labels below the plot.
    func drawXTicks(on canvas: Canvas, _ ticks: NiceTicks) {
        for value in ticks.values {
            let px = crisp(x(value))
            canvas.line(from: Point(x: px, y: plot.maxY), to: Point(x: px, y: plot.maxY + Style.tickLength), color: Style.spine, width: Style.spineWidth)
            canvas.text(ticks.label(value), at: Point(x: px, y: plot.maxY + Style.tickLength + Style.tickLabelGap),
                        .tickLabel, horizontal: .center, vertical: .top)
        }
    }

    /// The x axis title, centred `below` pixels under the plot area.
    static func drawXLabel(on canvas: Canvas, _ label: String, plot: Rect, below: Double) {
        canvas.text(label, at: Point(x: plot.midX, y: plot.maxY + below + Style.axisLabelGap), .axisLabel, horizontal: .center, vertical: .top)
    }

    /// The y axis title, reading upwards, its descenders `left` pixels left of the plot area.
    static func drawYLabel(on canvas: Canvas, _ label: String, plot: Rect, left: Double) {
        canvas.text(label, at: Point(x: plot.minX - left - Style.axisLabelGap, y: plot.midY), .axisLabel,
                    horizontal: .center, vertical: .bottom, angle: 90)
    }
}
