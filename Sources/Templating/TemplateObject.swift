/// Host-provided values (IP addresses, prefixes) that render as text but keep their own ordering and members,
/// so `sort` orders 192.0.2.10 after 192.0.2.9 and `r.ip.family` works, while the template engine stays ignorant of
/// what an IP address is.
public protocol TemplateObject: Sendable {
    /// For messages: "IP address", "prefix".
    var typeName: String { get }
    /// nil -> strict "no member" error, with a did-you-mean over `memberNames`.
    func member(_ name: String) -> Value?
    var memberNames: [String] { get }
    /// How it renders: value position -> JSON string of `text`; inside a string or comment -> `text`.
    var text: String { get }
    /// nil when not comparable (sort then falls back to comparing `text`).
    func isLess(than other: any TemplateObject) -> Bool?
    func isEqual(to other: any TemplateObject) -> Bool
}
