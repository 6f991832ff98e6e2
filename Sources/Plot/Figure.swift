import CCairo
import Foundation

/// A rendered chart: an ARGB32 Cairo image surface that this object owns and frees.
///
/// Not `Sendable`: Cairo surfaces are not safe to use from two threads at once, and the pixels
/// are read through a pointer into the surface. Render and write a figure on one task.
public final class Figure {
    /// Size in pixels.
    public let width: Int
    public let height: Int
    /// Where the data is drawn (the axes' inner rectangle, the heat map's cells, the image),
    /// in pixels; `nil` for a figure read from a file.
    public internal(set) var plotArea: Rect?

    /// The `cairo_surface_t`, owned: destroyed in `deinit`.
    let surface: OpaquePointer

    /// A white figure of `width` x `height` pixels.
    /// - Throws: `PlotError.surfaceFailed` for a size Cairo refuses (zero, or over 32767).
    init(width: Int, height: Int) throws {
        guard width > 0, height > 0, width <= 32767, height <= 32767 else {
            throw PlotError.surfaceFailed(width: width, height: height, reason: "each side must be 1 to 32767 pixels")
        }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw PlotError.surfaceFailed(width: width, height: height, reason: cairoMessage(status))
        }
        self.surface = surface
        self.width = width
        self.height = height
        let context = cairo_create(surface)
        cairo_set_source_rgb(context, Style.background.red, Style.background.green, Style.background.blue)
        cairo_paint(context)
        cairo_destroy(context)
    }

    /// Reads a PNG file, to check a written figure.
    /// - Parameter url: a PNG file.
    /// - Throws: `PlotError.readFailed` naming the file when it is missing or not a PNG.
    public init(contentsOf url: URL) throws {
        let surface = cairo_image_surface_create_from_png(url.path)!
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw PlotError.readFailed(path: url.path, reason: cairoMessage(status))
        }
        self.surface = surface
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
    }

    deinit { cairo_surface_destroy(surface) }

    /// Writes the figure as a PNG file, replacing any file there.
    /// - Parameter url: the destination; its folder must exist.
    /// - Throws: `PlotError.writeFailed` naming the file.
    public func write(to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PlotError.writeFailed(path: url.path, reason: "the folder \(folder.path) does not exist")
        }
        let status = cairo_surface_write_to_png(surface, url.path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.writeFailed(path: url.path, reason: cairoMessage(status))
        }
    }

    /// The pixel at column `x`, row `y` (0, 0 is the top left).
    public func pixel(x: Int, y: Int) -> RGBA {
        precondition((0..<width).contains(x) && (0..<height).contains(y), "pixel (\(x), \(y)) is outside the \(width) x \(height) figure")
        cairo_surface_flush(surface)
        let data = UnsafeRawPointer(cairo_image_surface_get_data(surface)!)
        let stride = Int(cairo_image_surface_get_stride(surface))
        // Cairo stores a pixel as one native-endian 32-bit word 0xAARRGGBB, premultiplied by
        // alpha; RGB24 leaves the alpha byte undefined.
        let word = data.load(fromByteOffset: y * stride + x * 4, as: UInt32.self)
        let opaque = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24
        let alpha = opaque ? 255 : UInt32(word >> 24)
        func channel(_ shift: UInt32) -> UInt8 {
            let c = (word >> shift) & 0xFF
            guard alpha > 0 else { return 0 }
            return UInt8(min(255, (c * 255 + alpha / 2) / alpha))
        }
        return RGBA(red: channel(16), green: channel(8), blue: channel(0), alpha: UInt8(alpha))
    }
}

/// Cairo's own description of a status ("out of memory", "file not found").
func cairoMessage(_ status: cairo_status_t) -> String {
    String(cString: cairo_status_to_string(status))
}
