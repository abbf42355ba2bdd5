import ArgumentParser

/// `--summary`: the summary line for people, or one JSON object for machines.
enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
