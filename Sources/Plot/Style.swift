/// The look shared by every chart, named once: colours, font sizes, margins and strokes.
/// Sizes are in pixels of the PNG, which GitHub shows at 1:1 up to its column width (~900 px).
enum Style {
    // MARK: colours
    static let background = RGB.white
    static let text = RGB(hex: 0x262626)
    static let tickText = RGB(hex: 0x3A3A3A)
    static let spine = RGB(hex: 0x5A5A5A)
    static let grid = RGB(hex: 0xE3E3E3)
    static let errorBar = RGB(hex: 0x2B2B2B)
    static let missingValue = RGB(hex: 0x8C8C8C)
    static let legendBorder = RGB(hex: 0xCCCCCC)
    static let legendFillAlpha = 0.88

    // MARK: text
    static let fontFamily = "DejaVu Sans"
    static let titleSize = 17.0
    static let axisLabelSize = 14.0
    static let tickLabelSize = 12.0
    static let legendSize = 12.5
    static let valueLabelSize = 11.5
    static let cellValueSize = 12.5
    static let minimumCellValueSize = 7.0
    /// Line height as a multiple of the font size, for stacking lines of text.
    static let lineSpacing = 1.25

    // MARK: spacing
    static let outerMargin = 14.0
    static let titleGap = 12.0
    static let tickLength = 4.5
    static let tickLabelGap = 4.0
    static let axisLabelGap = 8.0
    static let categoryLabelGap = 6.0
    static let valueLabelGap = 3.0
    static let colorBarGap = 18.0
    static let colorBarWidth = 16.0
    /// Rotated category labels lean at this angle, reading upwards to the right.
    static let rotatedLabelAngle = 45.0
    /// The smallest plot area a chart accepts before it reports the figure as too small.
    static let minimumPlotSize = 40.0

    // MARK: data
    /// Room left between the data and the frame of a line chart, as a share of the data's span
    /// at each end (matplotlib's `axes.xmargin` and `axes.ymargin`).
    static let dataMargin = 0.05

    // MARK: strokes
    static let spineWidth = 1.0
    static let gridWidth = 1.0
    static let lineWidth = 2.0
    static let markerRadius = 3.5
    static let errorBarWidth = 1.3
    static let errorBarCapWidth = 8.0

    // MARK: legend
    static let legendPadding = 8.0
    static let legendSwatchWidth = 26.0
    static let legendPatchSize = 12.0
    static let legendSwatchGap = 7.0
    static let legendItemGap = 18.0
    static let legendInset = 10.0
    static let legendCornerRadius = 4.0

    // MARK: bars
    /// The share of a category's slot that its bars fill; the rest separates categories.
    static let barGroupFill = 0.8
    /// Headroom above the tallest bar, as a share of its height, when the range is automatic.
    static let barHeadroom = 0.05
}
