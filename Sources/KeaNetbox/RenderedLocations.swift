import Diagnostics
import Templating

/// Moves diagnostics about a rendered configuration (found by Kea's dialect reader, the semantic checks or
/// `kea-dhcpN -t`, all located in the rendered text) to the template line that produced each place, with the
/// rendered line kept as a note. `install`, `render` and `lint` report the same finding at the same place this way.
struct RenderedLocations {
    /// The name the rendered text goes by in the diagnostics to move (the output path, or lint's marker).
    let renderedFile: String
    let map: SourceMap

    func relocate(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.map { relocate($0, keepingRenderedPlace: true) }
    }

    private func relocate(_ diagnostic: Diagnostic, keepingRenderedPlace: Bool) -> Diagnostic {
        let notes = diagnostic.notes.map { relocate($0, keepingRenderedPlace: false) }
        guard let location = diagnostic.location, location.file == renderedFile,
              let moved = map.diagnostic(diagnostic.severity, diagnostic.message, outputLine: location.line,
                                         outputColumn: location.column)
        else { return diagnostic.with(notes: notes) }
        guard keepingRenderedPlace else {
            return Diagnostic(severity: diagnostic.severity, rule: diagnostic.rule, message: diagnostic.message,
                              location: moved.location, sourceLine: moved.sourceLine, notes: notes)
        }
        let rendered = Diagnostic.note("at line \(location.line), column \(location.column) of the rendered configuration")
        return Diagnostic(severity: diagnostic.severity, rule: diagnostic.rule, message: diagnostic.message,
                          location: moved.location, sourceLine: moved.sourceLine, notes: notes + [rendered])
    }
}
