import PlumbChecks
import PlumbCore
import Testing

@Suite struct PIICheckTests {
    struct DetectionCase: Sendable, CustomTestStringConvertible {
        var text: String
        /// `kind masked` for each finding, in order.
        var findings: [String]
        var testDescription: String { text.debugDescription }
    }

    static let detection: [DetectionCase] = [
        DetectionCase(text: "Nothing personal here.", findings: []),
        DetectionCase(text: "Write to jane.doe+news@example.co.uk today.", findings: ["email j***@example.co.uk"]),
        DetectionCase(text: "not an email: jane@localhost or @handle", findings: []),
        DetectionCase(text: "Call 415-555-2671.", findings: ["phone ***2671"]),
        DetectionCase(text: "Call (415) 555-2671 or 415.555.2672", findings: ["phone ***2671", "phone ***2672"]),
        DetectionCase(text: "Toll free: 1-800-555-0199", findings: ["phone ***0199"]),
        DetectionCase(text: "London office +44 20 7946 0958", findings: ["phone ***0958"]),
        DetectionCase(text: "E.164: +14155552671", findings: ["phone ***2671"]),
        DetectionCase(text: "US: +1 (415) 555-2671", findings: ["phone ***2671"]),
        DetectionCase(text: "Years 1999, 2000 and 2024-2025", findings: []),
        DetectionCase(text: "Ext. 555-1234 and 12 34 56", findings: []),
        DetectionCase(text: "Plain digits 4155552671", findings: []),
        DetectionCase(text: "Date 2024-01-15, version 1.2.3", findings: []),
        DetectionCase(text: "Card 4111 1111 1111 1111 on file", findings: ["card ****1111"]),
        DetectionCase(text: "Card 4111-1111-1111-1111", findings: ["card ****1111"]),
        DetectionCase(text: "Card 4111111111111111", findings: ["card ****1111"]),
        DetectionCase(text: "Amex 378282246310005", findings: ["card ****0005"]),
        DetectionCase(text: "Order 4111 1111 1111 1112", findings: []),
        DetectionCase(text: "id 1234567812345678", findings: []),
        DetectionCase(text: "Short 1234 5678", findings: []),
        DetectionCase(
            text: "Mail a@b.io, call 212-555-0100, pay with 5555555555554444.",
            findings: ["email a***@b.io", "phone ***0100", "card ****4444"]
        ),
    ]

    @Test(arguments: detection)
    func detects(_ testCase: DetectionCase) {
        #expect(PIICheck.findings(in: testCase.text).map(\.description) == testCase.findings)
    }

    @Test(arguments: [
        ("4111111111111111", true), ("4111111111111112", false), ("79927398713", true), ("79927398710", false),
        ("0", false), ("", false), ("4111 1111", false), ("00", true),
    ])
    func luhn(_ digits: String, _ valid: Bool) {
        #expect(PIICheck.luhnIsValid(digits) == valid)
    }

    @Test func findingsKeepTheWrittenText() {
        let findings = PIICheck.findings(in: "x 4111-1111-1111-1111 y", kinds: [.card])
        #expect(findings.map(\.text) == ["4111-1111-1111-1111"])
        #expect(findings.map(\.offset) == [2])
    }

    static let cases: [EvalCase] = [
        EvalCase(
            "clean output passes",
            [:],
            output: "The answer is 42.",
            .pass,
            reason: "no PII found (looked for email, phone, card)",
            score: 1
        ),
        EvalCase(
            "email fails",
            [:],
            output: "Contact bob@example.com",
            .fail,
            reason: "found PII: email b***@example.com",
            score: 0
        ),
        EvalCase(
            "everything is listed, masked",
            [:],
            output: "4111 1111 1111 1111, bob@example.com, (212) 555-0100",
            .fail,
            reason: "found PII: card ****1111, email b***@example.com, phone ***0100"
        ),
        EvalCase(
            "kinds limits the search",
            ["kinds": ["card"]],
            output: "bob@example.com",
            .pass,
            reason: "no PII found (looked for card)"
        ),
        EvalCase("kinds still finds its kind", ["kinds": ["phone", "email"]], output: "bob@example.com", .fail),
        EvalCase("a single kind as a string", ["kinds": "email"], output: "call 415-555-2671", .pass),
        EvalCase("invalid card number is clean", [:], output: "Ref 1234 5678 9012 3456", .pass),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("pii")
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase(
            "unknown kind",
            "pii",
            ["kinds": ["email", "ssn"]],
            .invalidValue,
            at: "kinds",
            "unknown kind 'ssn'"
        ),
        LoadErrorCase("kind typo", "pii", ["kinds": ["emial"]], .invalidValue, at: "kinds", "did you mean 'email'?"),
        LoadErrorCase("empty kinds", "pii", ["kinds": []], .invalidValue, at: "kinds", "at least one kind"),
        LoadErrorCase("kinds a number", "pii", ["kinds": 1], .wrongType, at: "kinds", "an array of strings"),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }
}
