/// An error from libpq or the server: the message and, for server errors, the SQLSTATE code.
///
/// Built only from libpq's texts, which never include the password; `redacting` removes it anyway should a future
/// libpq (or an odd conninfo) echo it, because these messages end up in logs and CI output.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The primary message, without libpq's trailing newline.
    public let message: String
    /// Five-character SQLSTATE (`42501` insufficient privilege, `42P01` undefined table), nil for client errors.
    public let sqlState: String?
    /// The server's DETAIL and HINT, when given.
    public let detail: String?
    public let hint: String?

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        return text
    }

    func redacting(_ secrets: [String]) -> PostgresError {
        func scrub(_ text: String?) -> String? {
            guard var text else { return nil }
            // Very short secrets would match innocent substrings; such passwords cannot be protected this way anyway.
            for secret in secrets where secret.count >= 4 {
                text = text.replacingOccurrences(of: secret, with: "********")
            }
            return text
        }
        return PostgresError(message: scrub(message) ?? "", sqlState: sqlState, detail: scrub(detail), hint: scrub(hint))
    }
}
