import PlumbChecks
import PlumbCore
import Testing

@Suite struct BuiltinRegistryTests {
    /// The rule checks, which `registerBuiltins(into:)` adds.
    static let ruleKinds = [
        "choice", "contains", "contains-all", "contains-any", "decision", "equals", "icontains", "is-json", "length",
        "numeric", "pii", "refusal", "regex", "starts-with", "token-f1", "word-count",
    ]
    /// The checks that ask a classifier, a judge or a service, which `registerModelGraded(into:…)` adds.
    static let modelGradedKinds = ["classifier", "judge", "moderation"]
    static let kinds = (ruleKinds + modelGradedKinds).sorted()

    @Test func registersEveryKind() {
        let registry = CheckRegistry.builtins
        #expect(registry.kinds == Self.kinds)
        for entry in registry.entries.values {
            #expect(!entry.summary.isEmpty, "\(entry.kind)")
            #expect(!entry.summary.contains("\n"), "\(entry.kind)")
        }
    }

    @Test func registersIntoAnExistingRegistry() {
        struct Always: Check {
            func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult { .pass("ok") }
        }
        var registry = CheckRegistry()
        registry.register("custom", summary: "custom") { _ throws(SuiteDiagnostic) in Always() }
        CheckRegistry.registerBuiltins(into: &registry)
        #expect(registry.kinds.count == Self.ruleKinds.count + 1)
        #expect(registry.contains("custom"))
        #expect(registry.contains("not-regex"))
    }

    /// Valid parameters for each kind, an output the check passes, and one it fails.
    struct KindCase: Sendable, CustomTestStringConvertible {
        var kind: String
        var parameters: [(String, P)]
        var passing: String
        var failing: String

        init(_ kind: String, _ parameters: KeyValuePairs<String, P>, passing: String, failing: String) {
            self.kind = kind
            self.parameters = Array(parameters)
            self.passing = passing
            self.failing = failing
        }

        var testDescription: String { kind }
    }

    static let everyKind: [KindCase] = [
        KindCase("equals", ["value": "Paris"], passing: "Paris", failing: "Lyon"),
        KindCase("contains", ["value": "Paris"], passing: "in Paris", failing: "in Lyon"),
        KindCase("icontains", ["value": "paris"], passing: "PARIS", failing: "Lyon"),
        KindCase("contains-any", ["values": ["a", "b"]], passing: "b", failing: "c"),
        KindCase("contains-all", ["values": ["a", "b"]], passing: "ab", failing: "a"),
        KindCase("starts-with", ["value": "Yes"], passing: "Yes.", failing: "No."),
        KindCase("regex", ["pattern": "^\\d+$"], passing: "123", failing: "12a"),
        KindCase("is-json", [:], passing: "{}", failing: "{"),
        KindCase("length", ["max": 3], passing: "abc", failing: "abcd"),
        KindCase("word-count", ["min": 2], passing: "two words", failing: "one"),
        KindCase("numeric", ["value": 4], passing: "2+2=4", failing: "5"),
        KindCase("choice", ["answer": "B"], passing: "Answer: B", failing: "Answer: A"),
        KindCase(
            "decision",
            ["labels": ["yes", "no"], "positive": "yes"],
            passing: "Yes, invite them.",
            failing: "Maybe."
        ),
        KindCase("token-f1", ["reference": "red apple"], passing: "a red apple", failing: "green pear"),
        KindCase("refusal", [:], passing: "I can't do that.", failing: "Sure, here it is."),
        KindCase("pii", [:], passing: "No data.", failing: "me@example.com"),
    ]

    @Test func everyKindIsCovered() {
        #expect(Self.everyKind.map(\.kind).sorted() == Self.ruleKinds)
    }

    @Test(arguments: everyKind)
    func passesAndFails(_ testCase: KindCase) async throws {
        let check = try CheckVerifier.make(testCase.kind, testCase.parameters)
        let pass = try await CheckVerifier.evaluate(check, output: testCase.passing)
        let fail = try await CheckVerifier.evaluate(check, output: testCase.failing)
        #expect(pass.outcome == .pass, "\(pass.reason)")
        #expect(fail.outcome == .fail, "\(fail.reason)")
        #expect(pass.score == 1 || testCase.kind == "token-f1")
        #expect(fail.score == 0 || (testCase.kind == "decision" && fail.score == nil))  // undecided: no score
    }

    @Test(arguments: everyKind)
    func notWrapsEveryKind(_ testCase: KindCase) async throws {
        let check = try CheckVerifier.make("not-" + testCase.kind, testCase.parameters)
        #expect(check is NotCheck)
        let onPassing = try await CheckVerifier.evaluate(check, output: testCase.passing)
        let onFailing = try await CheckVerifier.evaluate(check, output: testCase.failing)
        #expect(onPassing.outcome == .fail, "\(onPassing.reason)")
        #expect(onFailing.outcome == .pass, "\(onFailing.reason)")
        #expect(onPassing.reason.hasPrefix("not: "))
    }

    @Test func notKeepsErrorsAsErrors() async throws {
        let check = try CheckVerifier.make("not-numeric", [("value", "{{answer}}")])
        let result = try await CheckVerifier.evaluate(check, output: "3", fields: ["answer": .string("three")])
        #expect(result.outcome == .error)
        #expect(result.score == nil)
        #expect(result.reason == "expected value \"three\" is not a number")
    }

    @Test func notContainsReadsWell() async throws {
        let result = try await CheckVerifier.evaluate(
            "not-contains",
            ["value": "password"],
            output: "Your password is x"
        )
        #expect(result == CheckResult(.fail, score: 0, reason: "not: found \"password\""))
    }

    @Test func notReportsTheWrappedChecksLoadErrors() {
        let (parameters, diagnostic) = CheckVerifier.loadError(params("not-regex", ["pattern": "("]))
        #expect(diagnostic?.code == .invalidRegex)
        #expect(diagnostic?.location == parameters.valueLocation("pattern"))
        #expect(diagnostic?.message.contains("check 'not-regex'") == true)
    }

    /// Every factory reads only what it declares: a misspelt key is left for `unknownKeys()` to flag.
    @Test(arguments: everyKind)
    func leavesTyposForUnknownKeys(_ testCase: KindCase) throws {
        let parameters = params(testCase.kind, testCase.parameters + [("ignoreCsae", true)])
        _ = try CheckVerifier.registry.makeCheck(parameters)
        let unknown = parameters.unknownKeys(ignoring: ["type", "name", "weight"])
        #expect(unknown.count == 1)
        #expect(unknown.first?.code == .unknownKey)
        #expect(unknown.first?.location == parameters.keyLocation("ignoreCsae"))
        #expect(unknown.first?.message.hasPrefix("unknown parameter 'ignoreCsae' for check '\(testCase.kind)'") == true)
    }

    @Test func unknownKeySuggestsTheDeclaredName() throws {
        let parameters = params("equals", ["value": "a", "ignorecase": true])
        _ = try CheckVerifier.registry.makeCheck(parameters)
        #expect(
            parameters.unknownKeys().map(\.message) == [
                "unknown parameter 'ignorecase' for check 'equals'; did you mean 'ignoreCase'?"
            ]
        )
    }

    /// `weight` is the loader's business, and `threshold` only matters to checks with a score (token-f1, and refusal
    /// with its scored detector); both stay unread.
    @Test(arguments: everyKind.filter { $0.kind != "token-f1" && $0.kind != "refusal" })
    func doesNotReadThresholdOrWeight(_ testCase: KindCase) throws {
        let parameters = params(testCase.kind, testCase.parameters + [("threshold", 0.5), ("weight", 2)])
        _ = try CheckVerifier.registry.makeCheck(parameters)
        let flagged = parameters.unknownKeys().map(\.location)
        #expect(flagged == [parameters.keyLocation("threshold"), parameters.keyLocation("weight")])
        #expect(parameters.unknownKeys(ignoring: ["threshold", "weight"]).isEmpty)
    }

    @Test func unknownCheckSuggestsABuiltin() {
        let diagnostic = CheckVerifier.loadError("contians", ["value": "x"])
        #expect(diagnostic?.code == .unknownCheck)
        #expect(diagnostic?.message == "unknown check 'contians'; did you mean 'contains'?")
        #expect(diagnostic?.location == checkPosition.in(testFile))
    }
}
