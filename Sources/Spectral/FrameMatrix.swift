/// A time-by-feature matrix: one row per frame, `columns` values per frame, row-major.
///
/// librosa returns features as (feature, frame) arrays; we keep frames as rows because every
/// producer here (STFT, mel projection) fills one frame at a time and GEMM then projects all
/// frames at once. `transposed()` gives librosa's orientation when a caller needs it.
public struct FrameMatrix: Sendable, Equatable {
    public var frameCount: Int
    public var columns: Int
    public var values: [Float]

    public init(frameCount: Int, columns: Int, values: [Float]) {
        precondition(values.count == frameCount * columns,
                     "FrameMatrix: \(values.count) values do not fill \(frameCount) x \(columns)")
        self.frameCount = frameCount
        self.columns = columns
        self.values = values
    }

    public init(frameCount: Int, columns: Int, repeating value: Float = 0) {
        self.init(frameCount: frameCount, columns: columns,
                  values: [Float](repeating: value, count: frameCount * columns))
    }

    public subscript(frame: Int, column: Int) -> Float {
        get { values[frame * columns + column] }
        set { values[frame * columns + column] = newValue }
    }

    /// One frame's values.
    public func frame(_ index: Int) -> ArraySlice<Float> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    /// Each frame mapped by `project` to `columns` values (a filter bank's projection):
    /// `project` reads one frame and writes its `columns` outputs.
    public func projected(columns: Int,
                          _ project: (UnsafeBufferPointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> FrameMatrix {
        var result = FrameMatrix(frameCount: frameCount, columns: columns)
        values.withUnsafeBufferPointer { input in
            result.values.withUnsafeMutableBufferPointer { output in
                for t in 0..<frameCount {
                    project(UnsafeBufferPointer(rebasing: input[(t * self.columns)..<((t + 1) * self.columns)]),
                            output.baseAddress! + t * columns)
                }
            }
        }
        return result
    }

    /// The (column, frame) orientation librosa uses, row-major.
    public func transposed() -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        for f in 0..<frameCount {
            for c in 0..<columns { out[c * frameCount + f] = values[f * columns + c] }
        }
        return out
    }
}
