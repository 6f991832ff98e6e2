/// What a legend entry shows next to its name.
enum Swatch {
    /// A short stretch of a series' line, with its dashes and marker.
    case line(color: RGB, width: Double, dash: [Double], marker: LineChart.Marker)
    /// A filled square, for bars.
    case patch(RGB)
}

/// The key of a chart: a swatch and a name per series or group.
struct Legend {
    var entries: [(name: String, swatch: Swatch)]

    enum Orientation {
        /// One entry per line, in a box: inside a line chart's axes.
        case vertical
        /// Entries side by side, wrapping onto more lines if needed: above a bar chart.
        case horizontal
    }

    /// Where each entry goes, relative to the legend's top left corner, and the total size.
    struct Layout {
        var size: (width: Double, height: Double)
        var origins: [Point]
        var boxed: Bool
    }

    func layout(on canvas: Canvas, _ orientation: Orientation, maximumWidth: Double = .infinity) -> Layout {
        let style = TextStyle.legend
        let widths = entries.map { Self.swatchWidth($0.swatch) + Style.legendSwatchGap + canvas.measure($0.name, style).width }
        let row = style.lineHeight
        switch orientation {
        case .vertical:
            let pad = Style.legendPadding
            let origins = entries.indices.map { Point(x: pad, y: pad + Double($0) * row) }
            return Layout(size: (2 * pad + (widths.max() ?? 0), 2 * pad + Double(entries.count) * row),
                          origins: origins, boxed: true)
        case .horizontal:
            var origins: [Point] = []
            var (x, y, widest) = (0.0, 0.0, 0.0)
            for width in widths {
                if x > 0, x + width > maximumWidth {
                    (x, y) = (0, y + row)
                }
                origins.append(Point(x: x, y: y))
                widest = max(widest, x + width)
                x += width + Style.legendItemGap
            }
            return Layout(size: (widest, y + row), origins: origins, boxed: false)
        }
    }

    /// A line needs some length to show its dashes; a patch is a square.
    static func swatchWidth(_ swatch: Swatch) -> Double {
        switch swatch {
        case .line: Style.legendSwatchWidth
        case .patch: Style.legendPatchSize
        }
    }

    func draw(on canvas: Canvas, _ layout: Layout, at origin: Point) {
        if layout.boxed {
            let box = Rect(x: origin.x, y: origin.y, width: layout.size.width, height: layout.size.height)
            canvas.roundedRect(box, radius: Style.legendCornerRadius, fill: Style.background,
                               fillAlpha: Style.legendFillAlpha, stroke: Style.legendBorder, strokeWidth: 1)
        }
        let style = TextStyle.legend
        for (entry, offset) in zip(entries, layout.origins) {
            let middle = origin.y + offset.y + style.lineHeight / 2
            let left = origin.x + offset.x
            switch entry.swatch {
            case let .line(color, width, dash, marker):
                canvas.line(from: Point(x: left, y: middle), to: Point(x: left + Style.legendSwatchWidth, y: middle),
                            color: color, width: width, dash: dash)
                canvas.marker(marker, at: Point(x: left + Style.legendSwatchWidth / 2, y: middle),
                              radius: Style.markerRadius, color: color)
            case let .patch(color):
                let side = Style.legendPatchSize
                canvas.fill(Rect(x: left, y: (middle - side / 2).rounded(), width: side, height: side), color)
            }
            canvas.text(entry.name, at: Point(x: left + Self.swatchWidth(entry.swatch) + Style.legendSwatchGap, y: middle),
                        style, horizontal: .left, vertical: .middle)
        }
    }
}
