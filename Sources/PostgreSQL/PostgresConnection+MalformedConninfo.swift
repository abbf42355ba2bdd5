import CLibPQ

extension PostgresConnection {
    /// Why libpq cannot read `conninfo`, with nothing of the conninfo's text in the message; nil when it can.
    ///
    /// libpq quotes the offending part of a conninfo it cannot parse (`invalid percent-encoded token: "pa%zzword"`),
    /// and that part is often the password: once parsing failed there is no parsed password to scrub, so every
    /// quoted fragment is removed instead, except an option name (`invalid connection option "bogus_option"`): lower
    /// case letters and underscores, and not the text after `password=` or in a URI's user information.
    static func malformedConninfoError(_ conninfo: String?) -> PostgresError? {
        guard let conninfo, !conninfo.isEmpty else { return nil }
        var errorMessage: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(conninfo, &errorMessage) {
            PQconninfoFree(options)
            return nil
        }
        var text = "the connection string is malformed"
        if let errorMessage {
            let libpq = String(cString: errorMessage).trimmingBlanksAndNewlines()
            PQfreemem(errorMessage)
            text += ": " + withoutQuotedFragments(libpq, keeping: { fragment in
                fragment.allSatisfy { $0 == "_" || ("a"..."z").contains($0) } && !conninfo.contains("password=" + fragment)
                    && !conninfo.contains(":" + fragment + "@")
            })
        }
        return PostgresError(message: text, sqlState: nil, detail: nil, hint: nil)
    }

    /// `invalid percent-encoded token: "s3cr%zz"` becomes `invalid percent-encoded token: "…"`.
    static func withoutQuotedFragments(_ text: String, keeping isSafe: (String) -> Bool) -> String {
        var result = ""
        var fragment: String? = nil
        for character in text {
            if character == "\"" {
                if let quoted = fragment {
                    result += (isSafe(quoted) ? quoted : "…") + "\""
                    fragment = nil
                } else {
                    result += "\""
                    fragment = ""
                }
            } else if fragment != nil {
                fragment?.append(character)
            } else {
                result.append(character)
            }
        }
        return fragment == nil ? result : result + "…"
    }
}

private extension String {
    func trimmingBlanksAndNewlines() -> String {
        var text = Substring(self)
        while text.last?.isWhitespace == true { text = text.dropLast() }
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        return String(text)
    }
}
