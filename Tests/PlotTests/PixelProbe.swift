import Plot

/// Pixel searches over a rendered figure.
extension Figure {
    /// The plot area as whole pixel bounds, shrunk by `inset` to stay off the frame.
    func plotPixels(inset: Int = 2) -> (x: Range<Int>, y: Range<Int>) {
        let area = plotArea!
        return ((Int(area.minX) + inset)..<(Int(area.maxX) - inset), (Int(area.minY) + inset)..<(Int(area.maxY) - inset))
    }

    /// The pixels of the plot area within `tolerance` 8-bit steps of `color`.
    func pixels(near color: RGB, tolerance: Int) -> [(x: Int, y: Int)] {
        let (xs, ys) = plotPixels()
        var found: [(x: Int, y: Int)] = []
        for y in ys {
            for x in xs where pixel(x: x, y: y).distance(to: color) <= tolerance { found.append((x, y)) }
        }
        return found
    }

    /// Every pixel of the plot area, row by row.
    func plotAreaPixels() -> [RGBA] {
        let (xs, ys) = plotPixels()
        return ys.flatMap { y in xs.map { x in pixel(x: x, y: y) } }
    }
}
