import Foundation
@testable import Templating
import Testing

/// A host object that reads its members by position, as NetBox's reservation does; `order` decides the positions,
/// so two instances of one type could not disagree, but two types can.
private protocol PositionedObject: TemplateObject {
    static var order: [String] { get }
    var fields: [String: Value] { get }
}

extension PositionedObject {
    var memberNames: [String] { Self.order }
    var text: String { "object" }
    func member(_ name: String) -> Value? { fields[name] }
    func memberIndex(of name: String) -> Int? { Self.order.firstIndex(of: name) }
    func member(at index: Int) -> Value? { Self.order.indices.contains(index) ? fields[Self.order[index]] : nil }
    func isLess(than other: any TemplateObject) -> Bool? { nil }
    func isEqual(to other: any TemplateObject) -> Bool { false }
}

private struct Host: PositionedObject {
    static let order = ["name", "id"]
    let fields: [String: Value]
    var typeName: String { "host" }
}

private struct Device: PositionedObject {
    static let order = ["id", "label", "name"]
    let fields: [String: Value]
    var typeName: String { "device" }
}

/// Writes its string members itself, except `declined`, which it leaves to the renderer.
private struct Writer: TemplateObject {
    let name: String
    var typeName: String { "writer" }
    var memberNames: [String] { ["name", "declined", "code"] }
    var text: String { name }
    func member(_ name: String) -> Value? { memberIndex(of: name).flatMap(member(at:)) }
    func memberIndex(of name: String) -> Int? { memberNames.firstIndex(of: name) }
    func member(at index: Int) -> Value? {
        switch index {
        case 0, 1: .string(name)
        case 2: .int(-42)
        default: nil
        }
    }
    func writeMember(at index: Int, to output: inout TagOutput) -> Bool {
        switch index {
        case 0:
            // Through the byte path, as a MAC or an address is written.
            var copy = name
            let count = copy.utf8.count
            output.writeText(maximumCount: count) { buffer in
                copy.withUTF8 { _ = buffer.initialize(from: $0) }
                return count
            }
            return true
        case 2:
            output.write(-42)
            return true
        default:
            return false
        }
    }
    func isLess(than other: any TemplateObject) -> Bool? { nil }
    func isEqual(to other: any TemplateObject) -> Bool { false }
}

@Suite struct MemberPositionTests {
    @Test func onePlaceMeetingTwoObjectTypesReadsEachTypesOwnMember() throws {
        let items: Value = .list([
            .object(Host(fields: ["name": "h1", "id": 1])),
            .object(Device(fields: ["id": 2, "label": "l", "name": "d2"])),
            .object(Host(fields: ["name": "h3", "id": 3])),
            .object(Device(fields: ["id": 4, "label": "l", "name": "d4"])),
        ])
        // The same `x.name` / `x.id` places alternate between the types, in value and string position, written and
        // evaluated (`== 2` reads the member as a Value).
        let template = #"{% for x in items sep "," %}{{ x.name }}:"{{ x.id }}":{{ x.id == 2 }}{% endfor %}"#
        #expect(try render(template, ["items": items]) == #""h1":"1":false,"d2":"2":true,"h3":"3":false,"d4":"4":false"#)
    }

    @Test func aMissingMemberAfterCachedHitsIsTheSameErrorWithItsSuggestion() {
        let template = "[{% for x in items sep \",\" %}{{ x.label }}{% endfor %}]"
        let deviceFirst: Value = .list([.object(Device(fields: ["id": 1, "label": "a", "name": "n"])),
                                         .object(Host(fields: ["name": "h", "id": 2]))])
        let hostAlone: Value = .list([.object(Host(fields: ["name": "h", "id": 2]))])
        let afterHits = located(errors(template, ["items": deviceFirst]))
        #expect(afterHits == ["t.json:1:35: a host has no member 'label'"])
        #expect(afterHits == located(errors(template, ["items": hostAlone])))
        #expect(located(errors("{% for x in items %}{{ x.nme }}{% endfor %}", ["items": hostAlone]))
                == ["t.json:1:26: a host has no member 'nme'; did you mean 'name'?"])
    }

    /// A run of one variable's members written together stops at another variable's member, a filter, or a tag.
    @Test func aLineMixingVariablesWritesEachOnesOwnMembers() throws {
        let hosts: Value = .list([.object(Host(fields: ["name": "h1", "id": 1])), .object(Host(fields: ["name": "h2", "id": 2]))])
        let other: Value = .object(Host(fields: ["name": "o", "id": 9]))
        let template = #"{% for x in hosts %}[{{ x.name }},{{ o.name }},{{ x.id }},{{ x.name | default("-") }},{% if true %}{{ x.id }}{% endif %}]{% endfor %}"#
        #expect(try render(template, ["hosts": hosts, "o": other]) == #"["h1","o",1,"h1",1]["h2","o",2,"h2",2]"#)
    }

    @Test func aMemberTheObjectDeclinesToWriteIsWrittenFromItsValue() throws {
        let items: Value = .list([.object(Writer(name: "w"))])
        #expect(try render(#"{% for x in items %}{{ x.name }} {{ x.declined }} {{ x.code }} "{{ x.code }}"{% endfor %}"#,
                           ["items": items]) == #""w" "w" -42 "-42""#)
    }

    /// A loop body of nothing but text and the item's members is written from each item without binding it
    /// (`MemberRun(wholeBody:)`): the text is the general path's, for objects, for maps, for an object that declines
    /// a member half-way through the body, and with the separator placed by looking back over the item.
    @Test func aBodyOfTheItemsMembersWritesWhatTheGeneralPathWrites() throws {
        let items: Value = .list([.object(Writer(name: "a")), .map(ValueMap([("name", "m"), ("declined", "d"), ("code", 7)])),
                                  .object(Writer(name: "b\"q")), .object(Writer(name: "c"))])
        let bodies = [
            "\n  { \"n\": {{ x.name }}, \"d\": {{ x.declined }}, \"c\": {{ x.code }} }\n",
            "{{ x.code }} // {{ x.name }}\n",
            "\"{{ x.name }}/{{ x.declined }}\"",
        ]
        for body in bodies {
            let run = try render("[{% for x in items sep \",\" %}\(body){% endfor %}]", ["items": items])
            // The same body inside an `if`: no longer one run, rendered node by node.
            let general = try render("[{% for x in items sep \",\" %}{% if true %}\(body){% endif %}{% endfor %}]", ["items": items])
            #expect(run == general)
        }
        func loop(_ text: String) throws -> Node.ForLoop {
            var session = ParseSession(loader: FileSystemLoader())
            let nodes = Parser.parseRoot(SourceText(path: "t", text: text), session: &session).nodes
            return try #require(nodes.compactMap { if case .forLoop(let loop) = $0 { loop } else { nil } }.first)
        }
        #expect(try loop("{% for x in xs %}a{{ x.n }}b{% endfor %}").bodyRun != nil, "text and the item's members")
        #expect(try loop("{% for x in xs %}a{{ y.n }}b{% endfor %}").bodyRun == nil, "another variable's member")
        #expect(try loop("{% for x in xs %}a{{ x.n | lower }}{% endfor %}").bodyRun == nil, "a filter")
        #expect(try loop("{% for x in xs %}ab{% endfor %}").bodyRun == nil, "no member at all")
    }

    /// Outside data written by the object itself is escaped exactly as the same text given as a string value.
    @Test(arguments: ["evil\", \"boot-file-name\": \"x", "back\\slash", "line\nbreak\r\t\u{0}\u{1f}", "*/ end", "/* open",
                      "// x", "# x", "caf\u{e9} Z\u{fc}rich \u{1F600}", "\u{2028}", "ends with *", "/starts", "12345678\"abcdefgh\\"])
    func directlyWrittenTextIsEscapedAsTheSameString(text: String) throws {
        let places = """
            { "v": {{ x.name }}, "s": "a{{ x.name }}b", "c": 1 // {{ x.name }}
            /* {{ x.name }} */ }
            """
        let direct = try render("{% for x in items %}\(places){% endfor %}", ["items": .list([.object(Writer(name: text))])])
        let asString = try render(places.replacingOccurrences(of: "x.name", with: "s"), ["s": .string(text)])
        #expect(direct == asString)
    }
}
