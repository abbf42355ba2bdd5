/// A place in a file, 1-based. Columns count Unicode scalars, as Kea's own messages and the line table do, so a
/// position Kea prints and a position we print agree.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
