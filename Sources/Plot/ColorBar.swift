/// The key of a colour-mapped chart: the colormap as a vertical strip, low at the bottom,
/// with round ticks and a label on its right.
struct ColorBar {
    var colormap: Colormap
    var range: ClosedRange<Double>
    var label: String

    var ticks: NiceTicks { NiceTicks(within: range) }

    /// From the strip's left edge to the far side of its label.
    func width(on canvas: Canvas) -> Double {
        var width = Style.colorBarWidth + Style.tickLength + Style.tickLabelGap + canvas.maximumWidth(ticks.labels, .tickLabel)
        if !label.isEmpty { width += Style.axisLabelGap + canvas.measure(label, .axisLabel).height }
        return width
    }

    /// Draws the strip in `strip` (whole pixels), its ticks and its label.
    func draw(on canvas: Canvas, strip: Rect) {
        let (columns, rows) = (Int(strip.width), Int(strip.height))
        guard columns > 0, rows > 0 else { return }
        let table = colormap.packedTable()
        var pixels = [UInt32](repeating: 0, count: columns * rows)
        for row in 0..<rows {
            let t = 1 - (Double(row) + 0.5) / Double(rows)
            let color = table[min(table.count - 1, Int(t * Double(table.count)))]
            for column in 0..<columns { pixels[row * columns + column] = color }
        }
        canvas.paintPixels(pixels, width: columns, height: rows, x: Int(strip.minX), y: Int(strip.minY))
        let frame = Axes(plot: strip, x: LinearScale(domain: 0...1, pixels: (strip.minX, strip.maxX)),
                         y: LinearScale(domain: range, pixels: (strip.maxY, strip.minY)))
        frame.drawFrame(on: canvas)
        let ticks = self.ticks
        for value in ticks.values {
            let y = crisp(frame.y(value))
            canvas.line(from: Point(x: strip.maxX, y: y), to: Point(x: strip.maxX + Style.tickLength, y: y), color: Style.spine, width: Style.spineWidth)
            canvas.text(ticks.label(value), at: Point(x: strip.maxX + Style.tickLength + Style.tickLabelGap, y: y),
                        .tickLabel, horizontal: .left, vertical: .middle)
        }
        let labelX = strip.maxX + Style.tickLength + Style.tickLabelGap + canvas.maximumWidth(ticks.labels, .tickLabel) + Style.axisLabelGap
        // Turned to read upwards, capitals towards the strip.
        canvas.text(label, at: Point(x: labelX, y: strip.midY), .axisLabel, horizontal: .center, vertical: .top, angle: 90)
    }
}

/// The data's range of finite values, widened when it is a single value; 0...1 for none.
func finiteRange<S: Sequence>(_ values: S) -> ClosedRange<Double> where S.Element == Double {
    var lower = Double.infinity, upper = -Double.infinity
    for value in values where value.isFinite {
        lower = min(lower, value)
        upper = max(upper, value)
    }
    guard lower <= upper else { return 0...1 }
    if lower == upper { return (lower - 0.5)...(upper + 0.5) }
    return lower...upper
}
