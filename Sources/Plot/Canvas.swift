import CCairo
import Foundation

/// A Cairo drawing context on a figure, with the few primitives the charts use.
/// Coordinates are figure pixels; the context is destroyed with the canvas.
final class Canvas {
    let context: OpaquePointer
    /// The figure stays alive as long as something draws on it.
    let figure: Figure

    init(_ figure: Figure) {
        self.figure = figure
        context = cairo_create(figure.surface)
        cairo_set_antialias(context, CAIRO_ANTIALIAS_DEFAULT)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
    }

    deinit { cairo_destroy(context) }

    /// Throws if Cairo recorded an error on the context (it stops drawing silently otherwise).
    func finish(chart: String) throws {
        let status = cairo_status(context)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.drawingFailed(chart: chart, reason: cairoMessage(status))
        }
        cairo_surface_flush(figure.surface)
    }

    // MARK: state

    func setColor(_ color: RGB, alpha: Double = 1) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, alpha)
    }

    /// Runs `body` with drawing limited to `rect`, restoring everything afterwards.
    func clipped(to rect: Rect, _ body: () -> Void) {
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
        body()
        cairo_restore(context)
    }

    /// A dash pattern in pixels (on, off, ...); empty for a solid line.
    func setDash(_ pattern: [Double]) {
        pattern.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
    }

    // MARK: shapes

    func fill(_ rect: Rect, _ color: RGB, alpha: Double = 1) {
        setColor(color, alpha: alpha)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(context)
    }

    /// A straight line; pass `crisp` coordinates for sharp 1-pixel lines.
    func line(from a: Point, to b: Point, color: RGB, width: Double, dash: [Double] = []) {
        setColor(color)
        cairo_set_line_width(context, width)
        setDash(dash)
        cairo_move_to(context, a.x, a.y)
        cairo_line_to(context, b.x, b.y)
        cairo_stroke(context)
        setDash([])
    }

    /// Connected line segments; a `nil` point lifts the pen (a gap in the data).
    func polyline(_ points: [Point?], color: RGB, width: Double, dash: [Double]) {
        setColor(color)
        cairo_set_line_width(context, width)
        setDash(dash)
        var penDown = false
        for point in points {
            guard let point else { penDown = false; continue }
            if penDown { cairo_line_to(context, point.x, point.y) } else { cairo_move_to(context, point.x, point.y) }
            penDown = true
        }
        cairo_stroke(context)
        setDash([])
    }

    func roundedRect(_ rect: Rect, radius: Double, fill: RGB, fillAlpha: Double, stroke: RGB, strokeWidth: Double) {
        let r = min(radius, rect.width / 2, rect.height / 2)
        cairo_new_sub_path(context)
        cairo_arc(context, rect.maxX - r, rect.minY + r, r, -.pi / 2, 0)
        cairo_arc(context, rect.maxX - r, rect.maxY - r, r, 0, .pi / 2)
        cairo_arc(context, rect.minX + r, rect.maxY - r, r, .pi / 2, .pi)
        cairo_arc(context, rect.minX + r, rect.minY + r, r, .pi, 1.5 * .pi)
        cairo_close_path(context)
        setColor(fill, alpha: fillAlpha)
        cairo_fill_preserve(context)
        setColor(stroke)
        cairo_set_line_width(context, strokeWidth)
        cairo_stroke(context)
    }

    /// A marker centred on `center`, filled with `color` and edged in white so that
    /// overlapping markers stay distinct.
    func marker(_ shape: LineChart.Marker, at center: Point, radius: Double, color: RGB) {
        let (x, y) = (center.x, center.y)
        switch shape {
        case .none:
            return
        case .circle:
            cairo_new_sub_path(context)
            cairo_arc(context, x, y, radius, 0, 2 * .pi)
        case .square:
            let half = radius * 0.9
            cairo_rectangle(context, x - half, y - half, 2 * half, 2 * half)
        case .triangle:
            let r = radius * 1.2
            cairo_move_to(context, x, y - r)
            cairo_line_to(context, x + r * 0.866, y + r * 0.5)
            cairo_line_to(context, x - r * 0.866, y + r * 0.5)
            cairo_close_path(context)
        case .diamond:
            let r = radius * 1.2
            cairo_move_to(context, x, y - r)
            cairo_line_to(context, x + r, y)
            cairo_line_to(context, x, y + r)
            cairo_line_to(context, x - r, y)
            cairo_close_path(context)
        }
        setColor(color)
        cairo_fill_preserve(context)
        setColor(.white)
        cairo_set_line_width(context, 0.8)
        cairo_stroke(context)
    }

    /// Paints `pixels` (row-major, top row first, opaque `0xAARRGGBB` words) 1:1 with its top
    /// left corner at the integer pixel (`x`, `y`).
    func paintPixels(_ pixels: [UInt32], width: Int, height: Int, x: Int, y: Int) {
        guard width > 0, height > 0 else { return }
        let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        defer { cairo_surface_destroy(image) }
        guard cairo_surface_status(image) == CAIRO_STATUS_SUCCESS else { return }
        cairo_surface_flush(image)
        let data = UnsafeMutableRawPointer(cairo_image_surface_get_data(image)!)
        let stride = Int(cairo_image_surface_get_stride(image))
        for row in 0..<height {
            let destination = (data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<width { destination[column] = pixels[row * width + column] }
        }
        cairo_surface_mark_dirty(image)
        cairo_save(context)
        cairo_set_source_surface(context, image, Double(x), Double(y))
        cairo_rectangle(context, Double(x), Double(y), Double(width), Double(height))
        cairo_fill(context)
        cairo_restore(context)
    }
}
