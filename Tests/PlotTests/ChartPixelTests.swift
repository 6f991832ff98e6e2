import Plot
import Testing

@Suite struct LineChartPixelTests {
    static let red = RGB(hex: 0xD62728)

    @Test func plotPixelsChangeWithTheData() throws {
        func chart(_ y: [Double]) -> LineChart {
            LineChart(series: [.init(name: "", y: y, color: Self.red)], yRange: 0...1)
        }
        let rising = try chart([0.1, 0.3, 0.5, 0.7, 0.9]).render(width: 500, height: 300)
        let falling = try chart([0.9, 0.7, 0.5, 0.3, 0.1]).render(width: 500, height: 300)
        let again = try chart([0.1, 0.3, 0.5, 0.7, 0.9]).render(width: 500, height: 300)
        let (a, b) = (rising.plotAreaPixels(), falling.plotAreaPixels())
        let differing = zip(a, b).filter { $0 != $1 }.count
        #expect(differing > 500, "only \(differing) pixels differ")
        #expect(a == again.plotAreaPixels(), "the same data draws the same pixels")
    }

    @Test func aSeriesIsDrawnInItsColour() throws {
        let figure = try LineChart(series: [.init(name: "loss", y: [3, 1, 2, 0.5], color: Self.red)]).render(width: 500, height: 300)
        #expect(figure.pixels(near: Self.red, tolerance: 12).count > 200)
        // And no other series colour appears: the default blue is absent.
        #expect(figure.pixels(near: RGB.palette(0), tolerance: 12).isEmpty)
    }

    @Test func aConstantSeriesDrawsAFlatLine() throws {
        let figure = try LineChart(series: [.init(name: "", y: Array(repeating: 0.42, count: 12), color: Self.red)])
            .render(width: 500, height: 300)
        let found = figure.pixels(near: Self.red, tolerance: 60)
        let rows = Set(found.map(\.y)), columns = Set(found.map(\.x))
        #expect(rows.count >= 1 && rows.max()! - rows.min()! <= 3, "the line spans rows \(rows.sorted())")
        #expect(Double(columns.count) > 0.9 * Double(figure.plotPixels().x.count), "the line crosses the plot")
    }

    @Test func aSinglePointIsVisible() throws {
        let figure = try LineChart(series: [.init(name: "", x: [5], y: [2], color: Self.red)]).render(width: 400, height: 300)
        let found = figure.pixels(near: Self.red, tolerance: 20)
        #expect(found.count >= 12, "a marker marks the lone point")
        let area = try #require(figure.plotArea)
        // Its range is widened around it, so it sits in the middle of the plot.
        let meanX = Double(found.map(\.x).reduce(0, +)) / Double(found.count)
        #expect(abs(meanX - area.midX) < 3)
    }

    @Test func aFixedRangePutsValuesWhereTheyBelong() throws {
        let figure = try LineChart(series: [.init(name: "", y: [0.75, 0.75], color: Self.red)], yRange: 0...1)
            .render(width: 400, height: 300)
        let area = try #require(figure.plotArea)
        let rows = figure.pixels(near: Self.red, tolerance: 60).map(\.y)
        let mean = Double(rows.reduce(0, +)) / Double(rows.count)
        #expect(abs(mean - (area.maxY - 0.75 * area.height)) < 2)
    }
}

@Suite struct BarChartPixelTests {
    @Test func barsStartAtZeroAndScaleWithTheirValues() throws {
        let green = RGB(hex: 0x2CA02C)
        let chart = GroupedBarChart(categories: ["one", "two"], groups: [.init(name: "", values: [1, 2], color: green)])
        let figure = try chart.render(width: 400, height: 300)
        let area = try #require(figure.plotArea)
        func barRows(atX x: Int) -> [Int] {
            (Int(area.minY)..<Int(area.maxY)).filter { figure.pixel(x: x, y: $0).distance(to: green) <= 2 }
        }
        let first = barRows(atX: Int(area.minX + area.width * 0.25))
        let second = barRows(atX: Int(area.minX + area.width * 0.75))
        #expect(!first.isEmpty && !second.isEmpty)
        #expect(abs(Double(first.max()! + 1) - area.maxY) <= 2, "the bars rise from the bottom of the plot (0)")
        #expect(abs(Double(second.count) - 2 * Double(first.count)) <= 2, "bar heights \(first.count) and \(second.count)")
    }

    @Test func longCategoryNamesStayInsideTheFigure() throws {
        let chart = GroupedBarChart(categories: (1...8).map { "A rather long model name number \($0)" },
                                    groups: [.init(name: "ours", values: (1...8).map(Double.init))])
        let figure = try chart.render(width: 600, height: 400)
        let area = try #require(figure.plotArea)
        #expect(area.height > 100, "the labels leave room for the bars")
        // The bottom row of the figure stays background: nothing is cut off at the edge.
        #expect((0..<figure.width).allSatisfy { figure.pixel(x: $0, y: figure.height - 1) == RGBA(red: 255, green: 255, blue: 255) })
    }
}

@Suite struct ColourMappedPixelTests {
    @Test func theLargestCellShowsTheColormapsTopColour() throws {
        let map = HeatMap(values: [[1, 2, 3], [4, 5, 90], [7, 8, 9]], rowLabels: ["a", "b", "c"], columnLabels: ["x", "y", "z"])
        let figure = try map.render(width: 500, height: 450)
        let area = try #require(figure.plotArea)
        let cell = area.width / 3
        let top = figure.pixel(x: Int(area.minX + 2 * cell) + 4, y: Int(area.minY + cell) + 4)
        #expect(top.distance(to: Colormap.viridis.color(at: 1)) <= 3, "found \(top)")
        let bottom = figure.pixel(x: Int(area.minX) + 4, y: Int(area.minY) + 4)
        #expect(bottom.distance(to: Colormap.viridis.color(at: 0)) <= 3, "found \(bottom)")
    }

    @Test func cellValuesContrastWithTheirCell() throws {
        let map = HeatMap(values: [[0, 100]], columnLabels: ["dark", "bright"])
        let figure = try map.render(width: 400, height: 300)
        let area = try #require(figure.plotArea)
        let cell = area.width / 2
        // Count text-coloured pixels in the middle of each cell: white on dark viridis, black on bright.
        func count(_ color: RGB, inCell column: Int) -> Int {
            let x0 = Int(area.minX + cell * Double(column) + cell / 4), y0 = Int(area.minY + area.height / 4)
            var n = 0
            for y in y0..<(y0 + Int(area.height / 2)) {
                for x in x0..<(x0 + Int(cell / 2)) where figure.pixel(x: x, y: y).distance(to: color) <= 30 { n += 1 }
            }
            return n
        }
        #expect(count(.white, inCell: 0) > 5)
        #expect(count(.black, inCell: 1) > 5)
    }

    @Test func imageRowZeroIsAtTheBottom() throws {
        var rows = Array(repeating: Array(repeating: Float(0), count: 20), count: 10)
        rows[0] = Array(repeating: 1, count: 20)
        let figure = try ImagePlot(rows: rows, valueRange: 0...1).render(width: 500, height: 300)
        let area = try #require(figure.plotArea)
        let hot = Colormap.magma.color(at: 1), cold = Colormap.magma.color(at: 0)
        let bottom = figure.pixel(x: Int(area.midX), y: Int(area.maxY) - 4)
        let top = figure.pixel(x: Int(area.midX), y: Int(area.minY) + 4)
        #expect(bottom.distance(to: hot) <= 3, "bottom is \(bottom)")
        #expect(top.distance(to: cold) <= 3, "top is \(top)")
    }

    @Test func anImageWithMoreCellsThanPixelsAveragesThem() throws {
        // Columns alternate 0 and 1: shrunk 10 times, each pixel shows their mean, the middle colour.
        let columns = 4000
        let values = (0..<(2 * columns)).map { Float($0 % 2) }
        let figure = try ImagePlot(values: values, rowCount: 2, columnCount: columns, colormap: .viridis, valueRange: 0...1)
            .render(width: 500, height: 300)
        let area = try #require(figure.plotArea)
        let middle = figure.pixel(x: Int(area.midX), y: Int(area.midY))
        #expect(middle.distance(to: Colormap.viridis.color(at: 0.5)) <= 6, "found \(middle)")
    }
}
