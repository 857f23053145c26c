import PlumbCore
import Testing

@Suite struct TemplateTests {
    let sample = Sample(
        id: "s1",
        fields: ["name": .string("Ada"), "count": .number(3), "ratio": .number(0.5)],
        location: SourceLocation(file: "f", line: 1)
    )

    @Test(arguments: [
        ("Hello {{name}}!", "Hello Ada!"),
        ("{{ name }} has {{count}} at {{ratio}}", "Ada has 3 at 0.5"),
        ("id={{id}}", "id=s1"),
        ("literal \\{{name}}", "literal {{name}}"),
        ("no placeholders", "no placeholders"),
    ])
    func renders(_ source: String, _ expected: String) throws {
        #expect(try Template(parsing: source).render(sample) == expected)
    }

    @Test(arguments: ["{{name", "{{}}", "{{na!me}}"])
    func rejectsMalformedPlaceholders(_ source: String) {
        #expect(throws: Template.ParseError.self) { try Template(parsing: source) }
    }

    @Test func listsVariables() throws {
        #expect(try Template(parsing: "{{a}} and {{ b }}").variables == ["a", "b"])
    }
}

@Suite struct EditDistanceTests {
    @Test(arguments: [("contians", "contains"), ("refusall", "refusal"), ("genration", "generation")])
    func suggests(_ typo: String, _ expected: String) {
        #expect(EditDistance.suggestion(for: typo, among: ["contains", "refusal", "generation", "regex"]) == expected)
    }

    @Test func staysQuietForUnrelatedWords() {
        #expect(EditDistance.suggestion(for: "banana", among: ["contains", "regex"]) == nil)
    }

    @Test("Option dashes do not count: --quiet is not a misspelt --out, --outt and --ou are")
    func optionDashesDoNotCount() {
        let options = ["--out", "--judge", "--model", "--resume", "--overwrite"]
        #expect(EditDistance.suggestion(for: "--quiet", among: options) == nil)
        #expect(EditDistance.suggestion(for: "--quite", among: options) == nil)
        #expect(EditDistance.suggestion(for: "--outt", among: options) == "--out")
        #expect(EditDistance.suggestion(for: "--ou", among: options) == "--out")
        #expect(EditDistance.suggestion(for: "--modle", among: options) == "--model")
        #expect(EditDistance.suggestion(for: "--overwirte", among: options) == "--overwrite")
    }

    @Test func distances() {
        #expect(EditDistance.distance("kitten", "sitting") == 3)
        #expect(EditDistance.distance("", "abc") == 3)
    }
}

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("90", 90.0), ("90s", 90), ("30m", 1800), ("12h", 43200), ("7d", 604_800), ("0s", 0), ("1.5h", 5400),
    ])
    func parses(_ text: String, _ seconds: Double) {
        #expect(NumberText.parseDuration(text) == seconds)
    }

    @Test func rejects() {
        for text in ["", "h", "-1s", "3w", "1e999", "twelve"] {
            #expect(NumberText.parseDuration(text) == nil, "\(text)")
        }
    }
}
