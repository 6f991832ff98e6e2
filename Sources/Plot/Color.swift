import Foundation

/// An opaque colour with components in 0...1 (sRGB, as Cairo and PNG take them).
public struct RGB: Sendable, Hashable, CustomStringConvertible {
    public var red: Double
    public var green: Double
    public var blue: Double

    /// A colour from components in 0...1; values outside are clamped when drawn.
    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from a 24-bit `0xRRGGBB` literal, as in CSS and matplotlib (`0x1F77B4`).
    public init(hex: UInt32) {
        red = Double((hex >> 16) & 0xFF) / 255
        green = Double((hex >> 8) & 0xFF) / 255
        blue = Double(hex & 0xFF) / 255
    }

    public static let white = RGB(red: 1, green: 1, blue: 1)
    public static let black = RGB(red: 0, green: 0, blue: 0)

    /// matplotlib's default colour cycle ("tab10"), used for series and groups given no colour.
    public static let palette: [RGB] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
        0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    ].map { RGB(hex: $0) }

    /// The palette colour for the `index`-th series, cycling past the tenth.
    public static func palette(_ index: Int) -> RGB { palette[index % palette.count] }

    /// WCAG relative luminance, 0 (black) ... 1 (white): sRGB decoded to linear light, then
    /// weighted by the eye's sensitivity to each primary.
    public var relativeLuminance: Double {
        func linear(_ c: Double) -> Double {
            let c = min(max(c, 0), 1)
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG contrast ratio against `other`, 1 (none) ... 21 (black on white).
    public func contrastRatio(with other: RGB) -> Double {
        let (a, b) = (relativeLuminance, other.relativeLuminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// Black or white, whichever reads better on top of this colour.
    public var contrastingText: RGB {
        contrastRatio(with: .black) >= contrastRatio(with: .white) ? .black : .white
    }

    /// The colour as 8-bit components, rounded.
    public var bytes: (red: UInt8, green: UInt8, blue: UInt8) {
        func byte(_ c: Double) -> UInt8 { UInt8((min(max(c, 0), 1) * 255).rounded()) }
        return (byte(red), byte(green), byte(blue))
    }

    /// `#RRGGBB`.
    public var description: String {
        let (r, g, b) = bytes
        return "#" + [r, g, b].map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()
    }
}

/// One pixel read back from a figure: 8-bit components, not premultiplied.
public struct RGBA: Sendable, Hashable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    public var alpha: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// The colour without its alpha.
    public var rgb: RGB { RGB(red: Double(red) / 255, green: Double(green) / 255, blue: Double(blue) / 255) }

    /// The largest difference of the three components from `color`, in 8-bit steps (0 ... 255).
    public func distance(to color: RGB) -> Int {
        let (r, g, b) = color.bytes
        return max(abs(Int(red) - Int(r)), abs(Int(green) - Int(g)), abs(Int(blue) - Int(b)))
    }

    /// `#RRGGBBAA`.
    public var description: String {
        "#" + [red, green, blue, alpha].map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
