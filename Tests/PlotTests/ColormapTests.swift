import Plot
import Testing

@Suite struct ColormapTests {
    /// The published ends: matplotlib's tables, as 8-bit hex.
    @Test(arguments: [(Colormap.viridis, 0x440154, 0xFDE725), (Colormap.magma, 0x000004, 0xFCFDBF)] as [(Colormap, UInt32, UInt32)])
    func endpointsMatchThePublishedColours(map: Colormap, low: UInt32, high: UInt32) {
        #expect(RGBA(map.color(at: 0)).distance(to: RGB(hex: low)) <= 1, "\(map.name)(0) = \(map.color(at: 0))")
        #expect(RGBA(map.color(at: 1)).distance(to: RGB(hex: high)) <= 1, "\(map.name)(1) = \(map.color(at: 1))")
        // Out-of-range and NaN values clamp to the ends.
        #expect(map.color(at: -3) == map.color(at: 0) && map.color(at: 7) == map.color(at: 1) && map.color(at: .nan) == map.color(at: 0))
    }

    /// Midpoints of matplotlib's 256-entry tables (entry 128), which the anchors must reproduce.
    @Test func midpointsMatchThePublishedTables() {
        #expect(RGBA(Colormap.viridis.color(at: 128.0 / 255)).distance(to: RGB(red: 0.127568, green: 0.566949, blue: 0.550556)) <= 2)
        #expect(RGBA(Colormap.magma.color(at: 128.0 / 255)).distance(to: RGB(red: 0.716387, green: 0.214982, blue: 0.475290)) <= 2)
    }

    @Test(arguments: [Colormap.viridis, .magma])
    func luminanceRisesMonotonically(map: Colormap) {
        let luminances = (0...200).map { map.color(at: Double($0) / 200).relativeLuminance }
        for (i, (a, b)) in zip(luminances, luminances.dropFirst()).enumerated() {
            #expect(b > a, "\(map.name): luminance falls between \(i) and \(i + 1) / 200")
        }
    }
}

extension RGBA {
    init(_ color: RGB) {
        let (r, g, b) = color.bytes
        self.init(red: r, green: g, blue: b)
    }
}
