/// `loop` inside a `for` body: the position of the current item, computed on access. An object of two integers
/// fits a Value's inline storage, so a loop over 100,000 items allocates nothing for it (a map per iteration did).
struct LoopVariable: TemplateObject {
    let index0: Int
    let length: Int

    var typeName: String { "loop" }
    var memberNames: [String] { ["index", "index0", "first", "last", "length"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "index": .int(index0 + 1)
        case "index0": .int(index0)
        case "first": .bool(index0 == 0)
        case "last": .bool(index0 == length - 1)
        case "length": .int(length)
        default: nil
        }
    }

    /// As text (a comment, `| string`): the map it stands for.
    var text: String {
        #"{"index":\#(index0 + 1),"index0":\#(index0),"first":\#(index0 == 0),"last":\#(index0 == length - 1),"length":\#(length)}"#
    }

    func isLess(than other: any TemplateObject) -> Bool? {
        (other as? LoopVariable).map { index0 < $0.index0 }
    }

    func isEqual(to other: any TemplateObject) -> Bool {
        (other as? LoopVariable).map { index0 == $0.index0 && length == $0.length } ?? false
    }
}
