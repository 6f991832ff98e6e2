/// A rectangle in figure pixels: origin at the top left, y growing downwards.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var minX: Double { x }
    public var maxX: Double { x + width }
    public var minY: Double { y }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    /// Whether the point lies inside or on the edge.
    public func contains(x px: Double, y py: Double) -> Bool {
        px >= minX && px <= maxX && py >= minY && py <= maxY
    }

    /// The rectangle grown by `amount` on every side (shrunk when negative).
    func outset(by amount: Double) -> Rect {
        Rect(x: x - amount, y: y - amount, width: width + 2 * amount, height: height + 2 * amount)
    }

    public var description: String { "(\(x), \(y)) \(width) x \(height)" }
}

/// A point in figure pixels.
struct Point: Hashable {
    var x: Double
    var y: Double
}

/// A linear map from data values to pixels along one axis; `pixels` may run backwards
/// (a y axis grows upwards on the page while pixel rows grow downwards).
struct LinearScale {
    var domain: ClosedRange<Double>
    var pixels: (start: Double, end: Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let t = span > 0 ? (value - domain.lowerBound) / span : 0.5
        return pixels.start + t * (pixels.end - pixels.start)
    }
}

/// The centre of the pixel row or column that holds `coordinate`: a 1-pixel line stroked there
/// covers exactly one row of pixels instead of blurring over two.
func crisp(_ coordinate: Double) -> Double { coordinate.rounded(.down) + 0.5 }
