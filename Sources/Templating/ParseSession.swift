import Diagnostics
/// State shared by the parsers of one template and everything it includes: the loader, parsed includes
/// (each file once per JSON context it is included in), the include chain for cycle errors, and the findings.
struct ParseSession {
    let loader: any TemplateLoader
    var diagnostics: [Diagnostic] = []
    /// One `| raw` warning per use site, for `check` (lint) and RenderResult.warnings.
    var warnings: [Diagnostic] = []
    var chain: [String] = []
    var cache: [String: Template] = [:]
    var sources: [String: SourceText] = [:]
    /// Blocks and includes open around the file being parsed, so nesting is bounded across includes too
    /// (the renderer recurses once per level).
    var nestingBase = 0
    /// How many `a.b` places were parsed: each gets its number (`Expression.Kind.member`'s site).
    var memberSites = 0
    /// A number per variable name read as `name.member` in an output (`Node.VariableMember`).
    var variableNumbers: [String: Int] = [:]

    mutating func number(ofVariable name: String) -> Int {
        if let number = variableNumbers[name] { return number }
        let number = variableNumbers.count
        variableNumbers[name] = number
        return number
    }

    init(loader: any TemplateLoader) {
        self.loader = loader
    }

    /// Reports at a place that may lie in another file than the one being parsed (an opening quote in the
    /// including template).
    mutating func report(_ message: String, at mark: JSONContext.Mark, notes: [Diagnostic] = []) {
        if let source = sources[mark.path] {
            diagnostics.append(source.diagnostic(.error, message, at: mark.offset, notes: notes))
        } else {
            diagnostics.append(Diagnostic(severity: .error, message: message, notes: notes))
        }
    }
}
