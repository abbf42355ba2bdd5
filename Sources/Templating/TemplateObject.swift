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

    /// The position of the member `name` for every value of this type, or nil (no such member, or the type reads
    /// members by name only). It must depend on the type alone, never on the value: the renderer asks once per
    /// `r.name` in the template and object type, and then reads the member by position (`member(at:)`), so a loop
    /// over 100,000 reservations compares no member names.
    func memberIndex(of name: String) -> Int?
    /// The member at a position `memberIndex(of:)` gave; the same value `member(_:)` gives for its name.
    func member(at index: Int) -> Value?
    /// Writes the member at `index` straight into the output, as `member(at:)`'s value would be written there, and
    /// says true; false leaves `output` as it was and the renderer writes the member's `Value` instead. Worth it for
    /// members written once per item of a long loop: no `Value`, no `String` made for a MAC or an address.
    func writeMember(at index: Int, to output: inout TagOutput) -> Bool
    /// Which member positions apply: the type itself (the default). A witness call, where asking an existential for
    /// its dynamic type costs a runtime call per member read.
    var memberLayout: ObjectIdentifier { get }
}

extension TemplateObject {
    public func memberIndex(of name: String) -> Int? { nil }
    public func member(at index: Int) -> Value? { nil }
    public func writeMember(at index: Int, to output: inout TagOutput) -> Bool { false }
    public var memberLayout: ObjectIdentifier { ObjectIdentifier(Self.self) }
}
