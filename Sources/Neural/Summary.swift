extension Sequential {
    /// A table laid out like Keras 3's `model.summary()`: one row per layer with its name and
    /// type, output shape (with `None` for the batch) and parameter count, then the totals.
    /// Sizes in bytes are float32 (4 per parameter), shown as Keras shows them.
    public func summary(name: String = "sequential") -> String {
        let widths = (name: 33, shape: 24, params: 15)
        func cell(_ text: String, _ width: Int, right: Bool = false) -> String {
            let pad = String(repeating: " ", count: max(0, width - 2 - text.count))
            return " " + (right ? pad + text : text + pad) + " "
        }
        func rule(_ left: String, _ fill: String, _ middle: String, _ right: String) -> String {
            left + String(repeating: fill, count: widths.name) + middle
                + String(repeating: fill, count: widths.shape) + middle
                + String(repeating: fill, count: widths.params) + right
        }
        var lines = ["Model: \"\(name)\""]
        lines.append(rule("┏", "━", "┳", "┓"))
        lines.append("┃" + cell("Layer (type)", widths.name) + "┃" + cell("Output Shape", widths.shape)
                     + "┃" + cell("Param #", widths.params, right: true) + "┃")
        lines.append(rule("┡", "━", "╇", "┩"))
        for (index, layer) in layers.enumerated() {
            let shape = "(" + (["None"] + outputShapes[index].map(String.init)).joined(separator: ", ") + ")"
            lines.append("│" + cell("\(layer.name) (\(layer.typeName))", widths.name)
                         + "│" + cell(shape, widths.shape)
                         + "│" + cell(grouped(layer.parameterCount), widths.params, right: true) + "│")
            lines.append(index == layers.count - 1 ? rule("└", "─", "┴", "┘") : rule("├", "─", "┼", "┤"))
        }
        let total = parameterCount
        lines.append(" Total params: \(grouped(total)) (\(byteSize(total * 4)))")
        lines.append(" Trainable params: \(grouped(total)) (\(byteSize(total * 4)))")
        lines.append(" Non-trainable params: 0 (0.00 B)")
        return lines.joined(separator: "\n")
    }
}

/// 16014640 → "16,014,640".
func grouped(_ value: Int) -> String {
    let digits = Array(String(value.magnitude))
    var out = ""
    for (i, digit) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(digit)
    }
    return (value < 0 ? "-" : "") + out
}

/// Bytes as Keras's `readable_memory_size`: binary units, two decimals.
func byteSize(_ bytes: Int) -> String {
    var size = Double(bytes)
    for unit in ["B", "KB", "MB", "GB"] {
        if size < 1024 || unit == "GB" {
            let hundredths = Int((size * 100).rounded())
            let fraction = hundredths % 100
            return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) \(unit)"
        }
        size /= 1024
    }
    return "\(bytes) B"
}
