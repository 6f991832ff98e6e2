import Foundation

/// A matrix as coloured cells, row 0 at the top, with its values printed in them: a confusion
/// matrix, true genres down, predicted genres across.
///
/// ```swift
/// let chart = HeatMap(title: "Confusion matrix (test set)", values: counts,
///                     rowLabels: genres, columnLabels: genres, colorBarLabel: "tracks")
/// try chart.render().write(to: url)
/// ```
public struct HeatMap: Sendable {
    public var title: String
    /// The rows, top to bottom, all as long as `columnLabels`; NaN cells are left white.
    public var values: [[Double]]
    /// One per row, shown left of it; empty for row numbers.
    public var rowLabels: [String]
    /// One per column, shown under it (turned 45 degrees when wider than a cell); empty for
    /// column numbers.
    public var columnLabels: [String]
    /// The title of the rows' axis, left of their labels.
    public var rowTitle: String
    /// The title of the columns' axis, under their labels.
    public var columnTitle: String
    public var colormap: Colormap
    /// The values mapped to the colormap's ends; `nil` for the data's smallest and largest.
    public var valueRange: ClosedRange<Double>?
    /// Whether each cell shows its value, in black or white, whichever contrasts more.
    public var showsValues: Bool
    public var valueFormat: ValueFormat
    public var colorBarLabel: String

    public init(title: String = "", values: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [],
                rowTitle: String = "true", columnTitle: String = "predicted", colormap: Colormap = .viridis,
                valueRange: ClosedRange<Double>? = nil, showsValues: Bool = true, valueFormat: ValueFormat = .automatic,
                colorBarLabel: String = "") {
        self.title = title
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.colormap = colormap
        self.valueRange = valueRange
        self.showsValues = showsValues
        self.valueFormat = valueFormat
        self.colorBarLabel = colorBarLabel
    }

    /// Draws the chart; the cells are square and the whole is centred in the figure.
    /// - Parameters:
    ///   - width: figure width in pixels.
    ///   - height: figure height in pixels.
    /// - Throws: `PlotError.invalidChart` when the rows differ in length or from the labels, or
    ///   the figure is too small for its labels.
    public func render(width: Int = 720, height: Int = 640) throws -> Figure {
        let chart = chartName("heat map", title: title)
        let rows = values.count, columns = values.first?.count ?? 0
        guard rows > 0, columns > 0 else { throw PlotError.invalidChart(chart: chart, reason: "the matrix is empty") }
        if let (index, row) = values.enumerated().first(where: { $0.element.count != columns }) {
            throw PlotError.invalidChart(chart: chart, reason: "row \(index) has \(row.count) values but row 0 has \(columns)")
        }
        guard rowLabels.isEmpty || rowLabels.count == rows else {
            throw PlotError.invalidChart(chart: chart, reason: "there are \(rowLabels.count) row labels for \(rows) rows")
        }
        guard columnLabels.isEmpty || columnLabels.count == columns else {
            throw PlotError.invalidChart(chart: chart, reason: "there are \(columnLabels.count) column labels for \(columns) columns")
        }
        let rowNames = rowLabels.isEmpty ? (0..<rows).map(String.init) : rowLabels
        let columnNames = columnLabels.isEmpty ? (0..<columns).map(String.init) : columnLabels
        let range = valueRange ?? finiteRange(values.joined())
        let bar = ColorBar(colormap: colormap, range: range, label: colorBarLabel)

        let figure = try Figure(width: width, height: height)
        let canvas = Canvas(figure)
        let tick = TextStyle.tickLabel
        let titleHeight = Axes.titleHeight(on: canvas, title)
        let rowTitleWidth = rowTitle.isEmpty ? 0 : canvas.measure(rowTitle, .axisLabel).height + Style.axisLabelGap
        let columnTitleHeight = columnTitle.isEmpty ? 0 : canvas.measure(columnTitle, .axisLabel).height + Style.axisLabelGap
        let rowLabelWidth = canvas.maximumWidth(rowNames, tick)
        let columnLabelWidth = canvas.maximumWidth(columnNames, tick)
        let textHeight = canvas.measure("0", tick).height
        let angle = Style.rotatedLabelAngle * .pi / 180

        let left = rowTitleWidth + rowLabelWidth + Style.tickLength + Style.tickLabelGap
        let right = Style.colorBarGap + bar.width(on: canvas)
        let availableWidth = Double(width) - 2 * Style.outerMargin - left - right
        // Whether the column labels turn depends on the cell size, which depends on the room
        // the labels take below: try them level first.
        func layout(rotated: Bool) -> (cell: Double, below: Double) {
            let labels = rotated ? columnLabelWidth * sin(angle) + textHeight * cos(angle) : textHeight
            let below = Style.tickLength + Style.tickLabelGap + labels + columnTitleHeight
            let availableHeight = Double(height) - 2 * Style.outerMargin - titleHeight - below
            return ((min(availableWidth / Double(columns), availableHeight / Double(rows))).rounded(.down), below)
        }
        var rotated = false
        var (cell, below) = layout(rotated: false)
        if columnLabelWidth > cell - Style.tickLabelGap {
            rotated = true
            (cell, below) = layout(rotated: true)
        }
        guard cell * Double(min(rows, columns)) >= Style.minimumPlotSize / 2, cell >= 4 else {
            throw PlotError.invalidChart(chart: chart, reason: "a \(width) x \(height) pixel figure leaves no room for \(rows) x \(columns) cells inside the labels")
        }
        let blockWidth = left + cell * Double(columns) + right
        let blockHeight = titleHeight + cell * Double(rows) + below
        let plot = Rect(x: ((Double(width) - blockWidth) / 2 + left).rounded(),
                        y: ((Double(height) - blockHeight) / 2 + titleHeight).rounded(),
                        width: cell * Double(columns), height: cell * Double(rows))
        figure.plotArea = plot

        let format = valueFormat.resolved(for: Array(values.joined()))
        drawCells(on: canvas, plot: plot, cell: cell, range: range, format: format)
        let axes = Axes(plot: plot, x: LinearScale(domain: 0...Double(columns), pixels: (plot.minX, plot.maxX)),
                        y: LinearScale(domain: 0...Double(rows), pixels: (plot.minY, plot.maxY)))
        axes.drawFrame(on: canvas)
        for (index, name) in rowNames.enumerated() {
            let y = crisp(axes.y(Double(index) + 0.5))
            canvas.line(from: Point(x: plot.minX, y: y), to: Point(x: plot.minX - Style.tickLength, y: y), color: Style.spine, width: Style.spineWidth)
            canvas.text(name, at: Point(x: plot.minX - Style.tickLength - Style.tickLabelGap, y: y), tick, horizontal: .right, vertical: .middle)
        }
        for (index, name) in columnNames.enumerated() {
            let x = crisp(axes.x(Double(index) + 0.5))
            canvas.line(from: Point(x: x, y: plot.maxY), to: Point(x: x, y: plot.maxY + Style.tickLength), color: Style.spine, width: Style.spineWidth)
            let top = Point(x: x, y: plot.maxY + Style.tickLength + Style.tickLabelGap)
            if rotated {
                canvas.text(name, at: top, tick, horizontal: .right, vertical: .top, angle: Style.rotatedLabelAngle)
            } else {
                canvas.text(name, at: top, tick, horizontal: .center, vertical: .top)
            }
        }
        Axes.drawXLabel(on: canvas, columnTitle, plot: plot, below: below - columnTitleHeight)
        Axes.drawYLabel(on: canvas, rowTitle, plot: plot, left: Style.tickLength + Style.tickLabelGap + rowLabelWidth)
        if !title.isEmpty {
            canvas.text(title, at: Point(x: plot.midX, y: plot.minY - titleHeight), .title, horizontal: .center, vertical: .top)
        }
        let strip = Rect(x: (plot.maxX + Style.colorBarGap).rounded(), y: plot.minY, width: Style.colorBarWidth, height: plot.height)
        bar.draw(on: canvas, strip: strip)
        try canvas.finish(chart: chart)
        return figure
    }

    /// The cells on whole-pixel edges, so that neighbours meet without seams, and their values
    /// in the largest size up to `Style.cellValueSize` that fits every cell.
    private func drawCells(on canvas: Canvas, plot: Rect, cell: Double, range: ClosedRange<Double>, format: ValueFormat) {
        let span = range.upperBound - range.lowerBound
        var style = TextStyle(size: min(Style.cellValueSize, cell * 0.4))
        let texts = values.map { $0.map { $0.isFinite ? format.string($0) : "" } }
        let widest = texts.joined().max { canvas.measure($0, style).width < canvas.measure($1, style).width } ?? ""
        while style.size > Style.minimumCellValueSize, canvas.measure(widest, style).width > cell - 4 {
            style.size -= 0.5
        }
        let showsText = showsValues && canvas.measure(widest, style).width <= cell - 2
        for (r, row) in values.enumerated() {
            for (c, value) in row.enumerated() where !value.isNaN {
                let color = colormap.color(at: span > 0 ? (value - range.lowerBound) / span : 0.5)
                let x0 = plot.minX + Double(c) * cell, y0 = plot.minY + Double(r) * cell
                canvas.fill(Rect(x: x0, y: y0, width: cell, height: cell), color)
                guard showsText else { continue }
                style.color = color.contrastingText
                canvas.text(texts[r][c], at: Point(x: x0 + cell / 2, y: y0 + cell / 2), style, horizontal: .center, vertical: .middle)
            }
        }
    }
}
