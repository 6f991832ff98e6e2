import _TestSupport
import Foundation
import Plot
import Testing

@Suite struct FigureTests {
    @Test func everyChartKindWritesAPNGThatDecodesAtItsSize() throws {
        let folder = TemporaryFolder("plot-test")
        let keep = SampleCharts.keepFolder
        for (name, figure) in try SampleCharts.all() {
            let url = folder.file(name)
            try figure.write(to: url)
            if let keep { try figure.write(to: keep.appendingPathComponent(name)) }
            let decoded = try Figure(contentsOf: url)
            #expect(decoded.width == figure.width && decoded.height == figure.height, "\(name)")
            // The file holds the same picture: a pixel in the middle of the plot survives.
            let area = try #require(figure.plotArea)
            let (x, y) = (Int(area.midX), Int(area.midY))
            #expect(decoded.pixel(x: x, y: y) == figure.pixel(x: x, y: y), "\(name)")
            #expect(decoded.pixel(x: 0, y: 0) == RGBA(red: 255, green: 255, blue: 255), "\(name): the background is white")
        }
    }

    @Test func awkwardInputsRenderAndDecode() throws {
        let folder = TemporaryFolder("plot-test")
        let keep = SampleCharts.keepFolder
        for (name, figure) in try SampleCharts.edgeCases() {
            try figure.write(to: folder.file(name))
            if let keep { try figure.write(to: keep.appendingPathComponent(name)) }
            let decoded = try Figure(contentsOf: folder.file(name))
            #expect(decoded.width == figure.width && decoded.height == figure.height, "\(name)")
        }
    }

    @Test func requestedSizeIsHonoured() throws {
        let figure = try SampleCharts.loss.render(width: 640, height: 360)
        let folder = TemporaryFolder("plot-test")
        try figure.write(to: folder.file("small.png"))
        let decoded = try Figure(contentsOf: folder.file("small.png"))
        #expect((decoded.width, decoded.height) == (640, 360))
    }

    @Test func writingIntoAMissingFolderNamesTheFile() throws {
        let figure = try SampleCharts.loss.render(width: 300, height: 200)
        let url = URL(fileURLWithPath: "/nonexistent-plot-folder/loss.png")
        #expect {
            try figure.write(to: url)
        } throws: { error in
            guard case let .writeFailed(path, _) = error as? PlotError else { return false }
            return path == url.path && "\(error)".hasPrefix("Cannot write the figure to \(url.path):") && "\(error)".hasSuffix(".")
        }
    }

    @Test func readingSomethingThatIsNotAPNGNamesTheFile() throws {
        let folder = TemporaryFolder("plot-test")
        let url = folder.file("not.png")
        try Data("hello".utf8).write(to: url)
        #expect {
            _ = try Figure(contentsOf: url)
        } throws: { error in
            guard case let .readFailed(path, _) = error as? PlotError else { return false }
            return path == url.path
        }
    }

    @Test func inconsistentDataIsReportedNotDrawn() {
        let ragged = LineChart(title: "Loss", series: [.init(name: "training", x: [1, 2, 3], y: [1, 2])])
        #expect(throws: PlotError.invalidChart(chart: "the line chart \"Loss\"", reason: "the series \"training\" has 3 x values but 2 y values")) {
            try ragged.render()
        }
        #expect(throws: PlotError.self) { try HeatMap(values: [[1, 2], [3]]).render() }
        #expect(throws: PlotError.self) { try ImagePlot(values: [1, 2, 3], rowCount: 2, columnCount: 2).render() }
        #expect(throws: PlotError.self) {
            try GroupedBarChart(categories: ["a", "b"], groups: [.init(name: "ours", values: [1])]).render()
        }
        #expect(throws: PlotError.self) { try LineChart(series: [.init(name: "nan", y: [.nan, .nan])]).render() }
    }

    @Test func aFigureTooSmallForItsLabelsIsReported() {
        #expect(throws: PlotError.self) { try SampleCharts.loss.render(width: 60, height: 40) }
    }
}
