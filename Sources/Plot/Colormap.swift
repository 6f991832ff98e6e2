/// A perceptually uniform colour scale: a value in 0...1 to a colour, by linear interpolation
/// between equally spaced anchors.
///
/// `viridis` and `magma` are matplotlib's (van der Walt and Smith, 2015). Their published
/// definitions are 256-entry tables; the anchors here are every fifth entry of those tables
/// (entries 0, 5, ..., 255) rounded to 8 bits, which reproduces every entry of the full table
/// to within one 8-bit step.
public struct Colormap: Sendable, Hashable {
    /// A short name for legends and file names ("viridis").
    public let name: String
    /// The colours at 0, 1/(n-1), ..., 1.
    public let anchors: [RGB]

    /// A colormap through `anchors`, equally spaced over 0...1 (at least two).
    public init(name: String, anchors: [RGB]) {
        precondition(anchors.count >= 2, "a colormap needs at least two anchors")
        self.name = name
        self.anchors = anchors
    }

    /// The colour for `value` in 0...1; values outside are clamped, and NaN gives the low end.
    public func color(at value: Double) -> RGB {
        let t = value.isNaN ? 0 : min(max(value, 0), 1)
        let position = t * Double(anchors.count - 1)
        let index = min(Int(position), anchors.count - 2)
        let f = position - Double(index)
        let (a, b) = (anchors[index], anchors[index + 1])
        return RGB(red: a.red + (b.red - a.red) * f,
                   green: a.green + (b.green - a.green) * f,
                   blue: a.blue + (b.blue - a.blue) * f)
    }

    /// `count` colours from the low end to the high end, packed as Cairo's `0xAARRGGBB`
    /// (opaque), for filling image pixels without a lookup per pixel.
    func packedTable(count: Int = 256) -> [UInt32] {
        (0..<count).map { i in
            let (r, g, b) = color(at: Double(i) / Double(count - 1)).bytes
            return 0xFF00_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        }
    }

    /// Blue through green to yellow; matplotlib's default, readable in grey and by most
    /// colour-blind readers.
    public static let viridis = Colormap(name: "viridis", anchors: [
        0x440154, 0x46085C, 0x471063, 0x481769, 0x481D6F, 0x482475, 0x472A7A, 0x46307E,
        0x453781, 0x433D84, 0x414287, 0x3F4889, 0x3D4E8A, 0x3A538B, 0x38598C, 0x355E8D,
        0x33638D, 0x31688E, 0x2E6D8E, 0x2C718E, 0x2A768E, 0x297B8E, 0x27808E, 0x25848E,
        0x23898E, 0x218E8D, 0x20928C, 0x1F978B, 0x1E9C89, 0x1FA188, 0x21A585, 0x24AA83,
        0x28AE80, 0x2EB37C, 0x35B779, 0x3DBC74, 0x46C06F, 0x50C46A, 0x5AC864, 0x65CB5E,
        0x70CF57, 0x7CD250, 0x89D548, 0x95D840, 0xA2DA37, 0xB0DD2F, 0xBDDF26, 0xCAE11F,
        0xD8E219, 0xE5E419, 0xF1E51D, 0xFDE725,
    ].map { RGB(hex: $0) })

    /// Black through purple and orange to pale yellow; the usual choice for spectrograms.
    public static let magma = Colormap(name: "magma", anchors: [
        0x000004, 0x02020B, 0x050416, 0x090720, 0x0E0B2B, 0x140E36, 0x1A1042, 0x21114E,
        0x29115A, 0x311165, 0x390F6E, 0x420F75, 0x4A1079, 0x52137C, 0x5A167E, 0x621980,
        0x6A1C81, 0x721F81, 0x792282, 0x812581, 0x892881, 0x912B81, 0x992D80, 0xA1307E,
        0xAA337D, 0xB2357B, 0xBA3878, 0xC23B75, 0xCA3E72, 0xD2426F, 0xD9466B, 0xE04C67,
        0xE75263, 0xEC5860, 0xF1605D, 0xF4695C, 0xF7725C, 0xF97B5D, 0xFB8560, 0xFC8E64,
        0xFD9869, 0xFEA16E, 0xFEAA74, 0xFEB47B, 0xFEBD82, 0xFEC68A, 0xFECF92, 0xFED89A,
        0xFDE2A3, 0xFDEBAC, 0xFCF4B6, 0xFCFDBF,
    ].map { RGB(hex: $0) })
}
