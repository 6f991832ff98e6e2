import CCairo
import Foundation

/// The font size, weight and colour of one kind of text.
struct TextStyle {
    var size: Double
    var bold = false
    var color = Style.text

    static let title = TextStyle(size: Style.titleSize)
    static let axisLabel = TextStyle(size: Style.axisLabelSize)
    static let tickLabel = TextStyle(size: Style.tickLabelSize, color: Style.tickText)
    static let legend = TextStyle(size: Style.legendSize)
    static let valueLabel = TextStyle(size: Style.valueLabelSize)

    /// The height one line of this text takes in a stack of lines.
    var lineHeight: Double { size * Style.lineSpacing }
}

/// Where the anchor point sits on the text's box, across and down.
enum HorizontalAnchor { case left, center, right }
enum VerticalAnchor {
    /// The anchor is at the height of capital letters: text hangs below it.
    case top
    /// The anchor is halfway up the capitals: digits and capitals look centred on it.
    case middle
    /// The anchor is on the baseline.
    case baseline
    /// The anchor is at the bottom of descenders: text sits above it.
    case bottom
}

/// The extent of a string, in pixels.
struct TextSize {
    /// Advance width.
    var width: Double
    /// Capital height above the baseline.
    var capHeight: Double
    /// Descender depth below the baseline.
    var descent: Double
    /// From the top of capitals to the bottom of descenders.
    var height: Double { capHeight + descent }
}

extension Canvas {
    private func select(_ style: TextStyle) {
        // Cairo's toy font API through fontconfig; DejaVu Sans ships with Debian and Ubuntu
        // (fonts-dejavu-core) and fontconfig substitutes a sans-serif where it is missing.
        cairo_select_font_face(context, Style.fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, style.size)
    }

    func measure(_ text: String, _ style: TextStyle) -> TextSize {
        select(style)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        var capital = cairo_text_extents_t()
        cairo_text_extents(context, "H", &capital)
        var font = cairo_font_extents_t()
        cairo_font_extents(context, &font)
        return TextSize(width: extents.x_advance, capHeight: -capital.y_bearing, descent: font.descent)
    }

    /// The widest of `texts`, 0 for none.
    func maximumWidth(_ texts: [String], _ style: TextStyle) -> Double {
        texts.map { measure($0, style).width }.max() ?? 0
    }

    /// Draws one line of text anchored at `point`; `angle` in degrees turns it
    /// anticlockwise about the anchor (90 reads bottom to top, as a y-axis label).
    func text(_ text: String, at point: Point, _ style: TextStyle,
              horizontal: HorizontalAnchor = .left, vertical: VerticalAnchor = .baseline, angle: Double = 0) {
        guard !text.isEmpty else { return }
        let size = measure(text, style)
        let dx: Double = switch horizontal {
        case .left: 0
        case .center: -size.width / 2
        case .right: -size.width
        }
        let dy: Double = switch vertical {
        case .top: size.capHeight
        case .middle: size.capHeight / 2
        case .baseline: 0
        case .bottom: -size.descent
        }
        cairo_save(context)
        cairo_translate(context, point.x, point.y)
        cairo_rotate(context, -angle * .pi / 180)
        setColor(style.color)
        cairo_move_to(context, dx, dy)
        cairo_show_text(context, text)
        cairo_restore(context)
    }

    /// Splits `text` at spaces (and after hyphens) into lines no wider than `width`;
    /// `nil` when a single word is already too wide.
    func wrap(_ text: String, width: Double, _ style: TextStyle) -> [String]? {
        var words: [String] = []
        for spaced in text.split(separator: " ") {
            let parts = spaced.split(separator: "-", omittingEmptySubsequences: false)
            for (i, part) in parts.enumerated() {
                words.append(i < parts.count - 1 ? part + "-" : String(part))
            }
        }
        var lines: [String] = []
        var current = ""
        for word in words {
            let joined = current.isEmpty ? word : (current.hasSuffix("-") ? current + word : current + " " + word)
            if measure(joined, style).width <= width {
                current = joined
            } else {
                guard measure(word, style).width <= width else { return nil }
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
