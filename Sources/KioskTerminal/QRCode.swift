import CQRencode

/// A QR code made by libqrencode (error correction M, the smallest version that holds the
/// text), and its drawing in half blocks: two rows of modules to a line of text, one
/// module to a column, so a module is about square in a usual terminal font.
public struct QRCode: Sendable, Equatable {
    /// Modules on a side, without the quiet zone.
    public let size: Int
    /// Row by row: true for a dark module.
    private let dark: [Bool]

    /// Light modules around the code, on every side: the 4 the QR standard asks for.
    public static let quietZone = 4

    /// Nil when libqrencode cannot encode `text` (empty, or more than a QR code holds).
    public init?(_ text: String) {
        guard !text.isEmpty, let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = code.pointee.data!
        size = width
        // libqrencode's bit 0 is the module's colour; the other bits say what the module is for.
        dark = (0..<width * width).map { data[$0] & 1 == 1 }
    }

    /// Whether the module at `row`, `column` is dark; outside the code (the quiet zone) it is light.
    public func isDark(row: Int, column: Int) -> Bool {
        guard (0..<size).contains(row), (0..<size).contains(column) else { return false }
        return dark[row * size + column]
    }

    /// Columns of the drawing, quiet zone included.
    public var drawnWidth: Int { size + 2 * Self.quietZone }
    /// Lines of the drawing, quiet zone included (two module rows a line).
    public var drawnHeight: Int { (drawnWidth + 1) / 2 }

    /// Whether the drawing, quiet zone included, fits in `width` columns and `height` lines.
    public func fits(width: Int, height: Int) -> Bool { drawnWidth <= width && drawnHeight <= height }

    /// The drawing, a line of text for every two rows of modules, quiet zone included.
    ///
    /// With `color`, dark-on-light is forced: black glyphs on a white background
    /// (`ESC[30;47m`), the glyphs drawing the dark modules. It looks the same on a dark
    /// and on a light terminal.
    ///
    /// Without colour (`NO_COLOR`, or a terminal that has none) the kiosk cannot know the
    /// terminal's background, so it draws as `qrencode -t UTF8` does, which cameras and
    /// zbar decode: the glyphs draw the *light* modules (quiet zone included) and the
    /// glyph-free cells are the dark ones. On the usual light-text-on-dark terminal (the
    /// Linux console, most terminal emulators' default, a kiosk) that is a true dark-on-light
    /// code. On a dark-text-on-light terminal it comes out inverted (light on dark), which
    /// many phone camera apps still read. Drawing the dark modules as glyphs instead would
    /// give the dark terminal (the kiosk's usual case) the inverted code, and no light quiet
    /// zone around it at all.
    public func halfBlockLines(color: Bool) -> [String] {
        let q = Self.quietZone
        var lines: [String] = []
        lines.reserveCapacity(drawnHeight)
        for line in 0..<drawnHeight {
            let top = 2 * line - q
            var text = color ? "\u{1B}[30;47m" : ""
            for column in -q..<(size + q) {
                // The glyph's "ink" is a dark module with colour, a light one without.
                let upper = isDark(row: top, column: column) == color
                let lower = isDark(row: top + 1, column: column) == color
                switch (upper, lower) {
                case (true, true): text += "█"
                case (true, false): text += "▀"
                case (false, true): text += "▄"
                case (false, false): text += " "
                }
            }
            if color { text += "\u{1B}[0m" }
            lines.append(text)
        }
        return lines
    }
}
