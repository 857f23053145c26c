public import PlumbCore

/// Small suites built in code, for runner and report tests.
public enum SuiteFixtures {
    /// A check that passes when the output contains `needle`.
    public struct ContainsCheck: Check {
        public var needle: String
        public init(_ needle: String) { self.needle = needle }
        public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
            .verdict(input.output.contains(needle), "looked for '\(needle)'")
        }
    }

    /// A suite of `count` samples (ids `s0`, `s1` …) whose prompt is the sample's `text` field.
    public static func suite(
        name: String = "fixture",
        count: Int,
        samplesPerPrompt: Int = 1,
        needle: String = "ok",
        tags: (Int) -> [String] = { _ in [] }
    ) -> Suite {
        let samples = (0..<count).map { index in
            Sample(
                id: "s\(index)",
                fields: ["text": .string("prompt \(index)")],
                tags: tags(index),
                location: SourceLocation(file: "\(name).suite.json5", line: index + 1)
            )
        }
        return Suite(
            name: name,
            file: "\(name).suite.json5",
            contentHash: SHA256.hex(name),
            samples: samples,
            prompt: PromptSpec(template: try! Template(parsing: "{{text}}")),
            generation: GenerationParameters(samplesPerPrompt: samplesPerPrompt),
            checks: [
                CheckBinding(
                    name: "has-\(needle)",
                    type: "contains",
                    check: ContainsCheck(needle),
                    location: SourceLocation(file: "\(name).suite.json5", line: 1)
                )
            ]
        )
    }
}
