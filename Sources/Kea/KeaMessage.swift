import Diagnostics

/// Reading Kea's own verdicts (`kea-dhcpN -t`): the place it names after the file, as `FILE:LINE:COL` (semantic
/// errors, `(f.json:27:11)`) or `FILE:LINE.COL-COL` (syntax errors, `f.conf:4.5-13:`).
public enum KeaMessage {
    public static func position(in message: String, file: String) -> (line: Int, column: Int)? {
        guard let range = message.range(of: file + ":") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isNumber || $0 == ":" || $0 == "." }
        let parts = digits.split(whereSeparator: { $0 == ":" || $0 == "." }).compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        return (parts[0], parts[1])
    }

    /// A check command's rejection as one diagnostic, located where Kea says when it says.
    public static func diagnostic(commandLine: String, message: String, file: String) -> Diagnostic {
        let text = "\(commandLine) rejected the rendered configuration: \(message)"
        guard let (line, column) = position(in: message, file: file) else {
            return Diagnostic(severity: .error, rule: "kea-check", message: text)
        }
        return Diagnostic(severity: .error, rule: "kea-check", message: text,
                          location: SourceLocation(file: file, line: line, column: column))
    }
}
