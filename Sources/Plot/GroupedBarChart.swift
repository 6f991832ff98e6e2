import Foundation

/// Bars side by side per category, one bar per group: models' accuracies, ours against the
/// article's.
///
/// ```swift
/// let chart = GroupedBarChart(
///     title: "Test accuracy", yLabel: "accuracy",
///     categories: ["Logistic regression", "k-nearest neighbours", "SVM"],
///     groups: [.init(name: "ours", values: [0.41, 0.36, 0.47], intervals: [0.38...0.44, nil, 0.44...0.50]),
///              .init(name: "article", values: [0.39, 0.33, nil])],
///     yRange: 0...1, showsValues: true)
/// try chart.render().write(to: url)
/// ```
public struct GroupedBarChart: Sendable {
    /// One bar per category, in one colour.
    public struct Group: Sendable, Hashable {
        /// The legend entry.
        public var name: String
        /// One value per category; `nil` or NaN draws no bar (a result the article did not report).
        public var values: [Double?]
        /// An error bar per category, from its lower to its upper end, in data units; `nil` for none.
        public var intervals: [ClosedRange<Double>?]?
        /// `nil` for the next colour of matplotlib's cycle (`RGB.palette`).
        public var color: RGB?

        public init(name: String, values: [Double?], intervals: [ClosedRange<Double>?]? = nil, color: RGB? = nil) {
            self.name = name
            self.values = values
            self.intervals = intervals
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// The names under each cluster of bars; long ones are wrapped, or turned 45 degrees when a
    /// single word is wider than its slot.
    public var categories: [String]
    public var groups: [Group]
    /// A fixed y range; `nil` for 0 (or the lowest negative value) up to round ticks above the
    /// tallest bar.
    public var yRange: ClosedRange<Double>?
    /// Whether each bar's value is printed above it.
    public var showsValues: Bool
    public var valueFormat: ValueFormat

    public init(title: String = "", xLabel: String = "", yLabel: String = "", categories: [String], groups: [Group],
                yRange: ClosedRange<Double>? = nil, showsValues: Bool = false, valueFormat: ValueFormat = .automatic) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.groups = groups
        self.yRange = yRange
        self.showsValues = showsValues
        self.valueFormat = valueFormat
    }

    /// How the category names are laid out under the axis.
    private enum CategoryLabels {
        /// Each name as its lines, centred under its slot.
        case wrapped([[String]])
        /// Each name on one line, turned to read upwards to the right, ending at its slot's centre.
        case rotated

        func height(on canvas: Canvas, _ categories: [String]) -> Double {
            let style = TextStyle.tickLabel
            switch self {
            case let .wrapped(lines):
                let count = Double(lines.map(\.count).max() ?? 1)
                return (count - 1) * style.lineHeight + canvas.measure("0", style).height
            case .rotated:
                let angle = Style.rotatedLabelAngle * .pi / 180
                let text = canvas.measure("0", style)
                return canvas.maximumWidth(categories, style) * sin(angle) + text.height * cos(angle)
            }
        }

        /// How far turned names reach left of the plot area: each ends at its slot's centre
        /// and runs back by its width times the cosine of the angle.
        func leftOverhang(on canvas: Canvas, _ categories: [String], slot: Double) -> Double {
            guard case .rotated = self else { return 0 }
            let cosine = cos(Style.rotatedLabelAngle * .pi / 180)
            return categories.enumerated().map { index, name in
                canvas.measure(name, .tickLabel).width * cosine - slot * (Double(index) + 0.5)
            }.max() ?? 0
        }
    }

    /// One bar's place in the data.
    private struct Bar {
        var category: Int
        var group: Int
        var value: Double
        var interval: ClosedRange<Double>?
        /// The highest point drawn for this bar in data units: its end or its error bar's.
        var top: Double { max(value, interval?.upperBound ?? value) }
        var bottom: Double { min(value, interval?.lowerBound ?? value) }
    }

    /// Draws the chart.
    /// - Parameters:
    ///   - width: figure width in pixels.
    ///   - height: figure height in pixels.
    /// - Throws: `PlotError.invalidChart` when a group's values or intervals do not match the
    ///   categories, there is nothing to draw, or the figure is too small for its labels.
    public func render(width: Int = 800, height: Int = 500) throws -> Figure {
        let chart = chartName("bar chart", title: title)
        let (bars, missing) = try validatedBars(chart: chart)
        let format = valueFormat.resolved(for: bars.map(\.value))

        let figure = try Figure(width: width, height: height)
        let canvas = Canvas(figure)
        let legend = Legend(entries: groups.enumerated().map { ($1.name, .patch($1.color ?? RGB.palette($0))) })
        let showsLegend = groups.contains { !$0.name.isEmpty }
        let legendLayout = legend.layout(on: canvas, .horizontal, maximumWidth: Double(width) - 2 * Style.outerMargin)
        let reservedTop = showsLegend ? legendLayout.size.height + Style.titleGap : 0

        // The layout depends on the y tick labels (left margin), the category labels (bottom
        // margin, and left margin when turned, which depend on the slot width) and, for value
        // labels, the room they need beyond the longest bars (which changes the ticks): settle
        // them in a few passes.
        let lowest = min(0, bars.map(\.bottom).min() ?? 0)
        var highest = max(0, bars.map(\.top).max() ?? 0)
        if highest <= lowest { highest = lowest + 1 }
        let headroom = (highest - lowest) * Style.barHeadroom
        var yTicks = yRange.map { NiceTicks(within: $0) }
            ?? NiceTicks(covering: (lowest < 0 ? lowest - headroom : 0)...(highest + headroom))
        var plot = Rect(x: 0, y: 0, width: 0, height: 0)
        var labels = CategoryLabels.rotated
        var leftOverhang = 0.0
        for _ in 0..<3 {
            let provisional = try Axes.plotArea(on: canvas, title: title, xLabel: xLabel, yLabel: yLabel, yTickLabels: yTicks.labels,
                                                bottomHeight: 0, rightOverhang: 0, leftOverhang: leftOverhang,
                                                reservedTop: reservedTop, chart: chart)
            let slot = provisional.width / Double(categories.count)
            labels = categoryLabels(on: canvas, slot: slot)
            leftOverhang = labels.leftOverhang(on: canvas, categories, slot: slot)
            let bottom = Style.tickLength + Style.categoryLabelGap + labels.height(on: canvas, categories)
            plot = try Axes.plotArea(on: canvas, title: title, xLabel: xLabel, yLabel: yLabel, yTickLabels: yTicks.labels,
                                     bottomHeight: bottom, rightOverhang: 0, leftOverhang: leftOverhang,
                                     reservedTop: reservedTop, chart: chart)
            guard yRange == nil, showsValues else { continue }
            let needed = valueLabelRoom(bars, format: format, plot: plot, domain: yTicks.range, on: canvas)
            if needed != yTicks.range { yTicks = NiceTicks(covering: needed) }
        }
        figure.plotArea = plot
        let domain = yRange ?? yTicks.range
        let axes = Axes(plot: plot, x: LinearScale(domain: 0...Double(categories.count), pixels: (plot.minX, plot.maxX)),
                        y: LinearScale(domain: domain, pixels: (plot.maxY, plot.minY)))

        axes.drawHorizontalGrid(on: canvas, at: yTicks.values)
        canvas.clipped(to: plot) {
            for bar in bars { drawBar(bar, axes: axes, on: canvas) }
            if domain.lowerBound < 0 {
                let zero = crisp(axes.y(0))
                canvas.line(from: Point(x: plot.minX, y: zero), to: Point(x: plot.maxX, y: zero), color: Style.spine, width: Style.spineWidth)
            }
        }
        if showsValues {
            for bar in bars { drawValueLabel(bar, format: format, axes: axes, on: canvas) }
            for bar in missing { drawMissingLabel(bar, axes: axes, on: canvas) }
        }
        axes.drawFrame(on: canvas)
        axes.drawYTicks(on: canvas, yTicks)
        drawCategoryLabels(labels, axes: axes, on: canvas)
        let below = Style.tickLength + Style.categoryLabelGap + labels.height(on: canvas, categories)
        Axes.drawXLabel(on: canvas, xLabel, plot: plot, below: below)
        let yTickWidth = canvas.maximumWidth(yTicks.labels, .tickLabel)
        Axes.drawYLabel(on: canvas, yLabel, plot: plot, left: Style.tickLength + Style.tickLabelGap + yTickWidth)
        Axes.drawTitle(on: canvas, title, over: plot)
        if showsLegend {
            let origin = Point(x: (plot.midX - legendLayout.size.width / 2).rounded(),
                               y: Style.outerMargin + Axes.titleHeight(on: canvas, title))
            legend.draw(on: canvas, legendLayout, at: origin)
        }
        try canvas.finish(chart: chart)
        return figure
    }

    /// The bars to draw, and the places of missing values (as bars of value 0).
    private func validatedBars(chart: String) throws -> (bars: [Bar], missing: [Bar]) {
        guard !categories.isEmpty, !groups.isEmpty else {
            throw PlotError.invalidChart(chart: chart, reason: "it needs at least one category and one group")
        }
        var bars: [Bar] = [], missing: [Bar] = []
        for (g, group) in groups.enumerated() {
            guard group.values.count == categories.count else {
                throw PlotError.invalidChart(chart: chart, reason: "the group \"\(group.name)\" has \(group.values.count) values for \(categories.count) categories")
            }
            if let intervals = group.intervals, intervals.count != categories.count {
                throw PlotError.invalidChart(chart: chart, reason: "the group \"\(group.name)\" has \(intervals.count) error bars for \(categories.count) categories")
            }
            for (c, value) in group.values.enumerated() {
                guard let value, value.isFinite else {
                    missing.append(Bar(category: c, group: g, value: 0, interval: nil))
                    continue
                }
                let interval = group.intervals?[c].flatMap { $0.lowerBound.isFinite && $0.upperBound.isFinite ? $0 : nil }
                bars.append(Bar(category: c, group: g, value: value, interval: interval))
            }
        }
        guard !bars.isEmpty else {
            throw PlotError.invalidChart(chart: chart, reason: "no group has a finite value")
        }
        return (bars, missing)
    }

    /// Names that fit their slot stay on one line; otherwise all wrap at spaces into at most three
    /// lines, or, if a word alone is too wide, all turn.
    private func categoryLabels(on canvas: Canvas, slot: Double) -> CategoryLabels {
        let room = slot - Style.categoryLabelGap
        let style = TextStyle.tickLabel
        var wrapped: [[String]] = []
        for name in categories {
            if canvas.measure(name, style).width <= room {
                wrapped.append([name])
            } else if let lines = canvas.wrap(name, width: room, style), lines.count <= 3 {
                wrapped.append(lines)
            } else {
                return .rotated
            }
        }
        return .wrapped(wrapped)
    }

    /// The left edge and width of a bar, on whole pixels.
    private func barSpan(_ bar: Bar, axes: Axes) -> (x: Double, width: Double) {
        let slot = axes.plot.width / Double(categories.count)
        let groupWidth = slot * Style.barGroupFill
        let barWidth = groupWidth / Double(groups.count)
        let left = axes.plot.minX + slot * Double(bar.category) + (slot - groupWidth) / 2 + barWidth * Double(bar.group)
        // A one-pixel white seam between touching bars keeps similar colours apart.
        let seam = groups.count > 1 ? 1.0 : 0
        let start = left.rounded(), end = (left + barWidth - seam).rounded()
        return (start, max(1, end - start))
    }

    private func drawBar(_ bar: Bar, axes: Axes, on canvas: Canvas) {
        let (x, width) = barSpan(bar, axes: axes)
        let zero = axes.y(0).rounded(), end = axes.y(bar.value).rounded()
        let color = groups[bar.group].color ?? RGB.palette(bar.group)
        canvas.fill(Rect(x: x, y: min(zero, end), width: width, height: abs(zero - end)), color)
        guard let interval = bar.interval else { return }
        let center = crisp(x + width / 2)
        let cap = min(Style.errorBarCapWidth, width * 0.6) / 2
        let (low, high) = (axes.y(interval.lowerBound), axes.y(interval.upperBound))
        canvas.line(from: Point(x: center, y: low), to: Point(x: center, y: high), color: Style.errorBar, width: Style.errorBarWidth)
        for end in [low, high] {
            canvas.line(from: Point(x: center - cap, y: end), to: Point(x: center + cap, y: end), color: Style.errorBar, width: Style.errorBarWidth)
        }
    }

    /// A value label turns to read upwards when it is wider than its bar and its neighbour's gap.
    private func valueLabelIsRotated(_ text: String, barWidth: Double, on canvas: Canvas) -> Bool {
        canvas.measure(text, .valueLabel).width > barWidth * 1.15
    }

    /// How far a value label reaches from the bar's end, in pixels.
    private func valueLabelExtent(_ text: String, barWidth: Double, on canvas: Canvas) -> Double {
        let size = canvas.measure(text, .valueLabel)
        return Style.valueLabelGap + (valueLabelIsRotated(text, barWidth: barWidth, on: canvas) ? size.width : size.height)
    }

    /// The y range, grown from `domain` where needed, that leaves room for every value label
    /// beyond its bar: above positive bars, below negative ones. A label `e` pixels long above a
    /// bar ending at `t` needs `(T - t) / (T - L) * H >= e`, so `T >= (t H - e L) / (H - e)`; below
    /// a bar ending at `b`, `L <= (b H - e T) / (H - e)`.
    private func valueLabelRoom(_ bars: [Bar], format: ValueFormat, plot: Rect, domain: ClosedRange<Double>, on canvas: Canvas) -> ClosedRange<Double> {
        let axes = Axes(plot: plot, x: LinearScale(domain: 0...1, pixels: (0, 1)), y: LinearScale(domain: domain, pixels: (plot.maxY, plot.minY)))
        let h = plot.height
        var (lower, upper) = (domain.lowerBound, domain.upperBound)
        for bar in bars {
            let e = valueLabelExtent(format.string(bar.value), barWidth: barSpan(bar, axes: axes).width, on: canvas)
            guard h > e else { continue }
            if bar.value >= 0 {
                upper = max(upper, (bar.top * h - e * domain.lowerBound) / (h - e))
            } else {
                lower = min(lower, (bar.bottom * h - e * domain.upperBound) / (h - e))
            }
        }
        return lower...upper
    }

    /// The value beyond the bar's end (above for positive values, below for negative ones); inside
    /// the bar's end, in a contrasting colour, when a fixed range leaves no room beyond it.
    private func drawValueLabel(_ bar: Bar, format: ValueFormat, axes: Axes, on canvas: Canvas) {
        let text = format.string(bar.value)
        let (x, width) = barSpan(bar, axes: axes)
        let center = x + width / 2
        let rotated = valueLabelIsRotated(text, barWidth: width, on: canvas)
        let extent = valueLabelExtent(text, barWidth: width, on: canvas)
        var style = TextStyle.valueLabel
        let upwards = bar.value >= 0
        let beyond = upwards ? axes.y(bar.top) - Style.valueLabelGap : axes.y(bar.bottom) + Style.valueLabelGap
        let fits = upwards ? beyond - extent >= axes.plot.minY - 1 : beyond + extent <= axes.plot.maxY + 1
        let barLength = abs(axes.y(bar.value) - axes.y(0))
        var anchor = beyond
        var outwards = upwards
        if !fits, barLength > extent + Style.valueLabelGap {
            anchor = upwards ? axes.y(bar.value) + Style.valueLabelGap : axes.y(bar.value) - Style.valueLabelGap
            outwards = !upwards
            style.color = (groups[bar.group].color ?? RGB.palette(bar.group)).contrastingText
        }
        let point = Point(x: center, y: anchor)
        if rotated {
            canvas.text(text, at: point, style, horizontal: outwards ? .left : .right, vertical: .middle, angle: 90)
        } else {
            canvas.text(text, at: point, style, horizontal: .center, vertical: outwards ? .bottom : .top)
        }
    }

    /// "n/a" where a bar would stand, so that a missing value is not read as zero.
    private func drawMissingLabel(_ bar: Bar, axes: Axes, on canvas: Canvas) {
        let (x, width) = barSpan(bar, axes: axes)
        var style = TextStyle.valueLabel
        style.color = Style.missingValue
        let text = ValueFormat.automatic.string(.nan)
        let point = Point(x: x + width / 2, y: axes.y(0) - Style.valueLabelGap)
        if valueLabelIsRotated(text, barWidth: width, on: canvas) {
            canvas.text(text, at: point, style, horizontal: .left, vertical: .middle, angle: 90)
        } else {
            canvas.text(text, at: point, style, horizontal: .center, vertical: .bottom)
        }
    }

    private func drawCategoryLabels(_ labels: CategoryLabels, axes: Axes, on canvas: Canvas) {
        let plot = axes.plot
        let slot = plot.width / Double(categories.count)
        let style = TextStyle.tickLabel
        for (index, name) in categories.enumerated() {
            let center = crisp(plot.minX + slot * (Double(index) + 0.5))
            canvas.line(from: Point(x: center, y: plot.maxY), to: Point(x: center, y: plot.maxY + Style.tickLength),
                        color: Style.spine, width: Style.spineWidth)
            let top = plot.maxY + Style.tickLength + Style.categoryLabelGap
            switch labels {
            case let .wrapped(lines):
                for (line, text) in lines[index].enumerated() {
                    canvas.text(text, at: Point(x: center, y: top + Double(line) * style.lineHeight), style,
                                horizontal: .center, vertical: .top)
                }
            case .rotated:
                // Right-aligned on the tick, so that the name ends under its bars.
                canvas.text(name, at: Point(x: center, y: top), style, horizontal: .right, vertical: .top,
                            angle: Style.rotatedLabelAngle)
            }
        }
    }
}
