import PlumbCLI
import Testing

/// The hand-written argument parser, case by case.
@Suite struct ArgumentParserTests {
    static let options: [OptionSpec] = [
        .flag("--quiet", help: "q"),
        .value("--out", "DIR", help: "o"),
        .repeatable("--model", "SPEC", help: "m"),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var values: [String: [String]] = [:]
        var flags: Set<String> = []
        var positionals: [String] = []
        var error: String? = nil
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: [], values: [:]),
        Case(arguments: ["a", "b"], positionals: ["a", "b"]),
        Case(arguments: ["--out", "x", "a"], values: ["--out": ["x"]], positionals: ["a"]),
        Case(arguments: ["--out=x=y"], values: ["--out": ["x=y"]]),
        Case(arguments: ["--out="], values: ["--out": [""]]),
        Case(arguments: ["--quiet", "a"], flags: ["--quiet"], positionals: ["a"]),
        Case(arguments: ["--model", "a", "--model=b"], values: ["--model": ["a", "b"]]),
        Case(arguments: ["--", "--quiet", "-x"], positionals: ["--quiet", "-x"]),
        Case(arguments: ["-"], positionals: ["-"]),
        Case(arguments: ["--out", "--quiet"], values: ["--out": ["--quiet"]]),
        Case(
            arguments: ["--ot", "x"],
            error: "unknown option '--ot'; did you mean '--out'? (see 'plumb demo --help')"
        ),
        Case(arguments: ["--out"], error: "--out needs a value (DIR)"),
        Case(arguments: ["--out", "a", "--out", "b"], error: "--out given twice"),
        Case(arguments: ["--quiet=yes"], error: "--quiet takes no value"),
        Case(arguments: ["-q"], error: "unknown option '-q' (see 'plumb demo --help')"),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) {
        do {
            let parsed = try ArgumentParser.parse(testCase.arguments, options: Self.options, command: "demo")
            #expect(testCase.error == nil, "expected an error")
            #expect(parsed.values == testCase.values)
            #expect(parsed.flags == testCase.flags)
            #expect(parsed.positionals == testCase.positionals)
        } catch {
            #expect(error.message == testCase.error)
            #expect(error.command == "demo")
        }
    }

    @Test(
        arguments: [
            ("7", 7, nil), ("0", nil, "--n takes a whole number from 1 to 9, not '0'"),
            ("x", nil, "--n takes a whole number from 1 to 9, not 'x'"),
        ] as [(String, Int?, String?)]
    )
    func wholeNumbersInARange(_ text: String, _ expected: Int?, _ expectedError: String?) throws {
        let parsed = try ArgumentParser.parse(["--n", text], options: [.value("--n", "N", help: "")], command: "c")
        do {
            let value = try parsed.int("--n", in: 1...9, command: "c")
            #expect(expectedError == nil)
            #expect(value == expected)
        } catch {
            #expect(error.message == expectedError)
        }
    }

    @Test func helpAlignsOptionsAndWrapsLongOnes() {
        let help = ArgumentParser.help(for: [
            .flag("--quiet", help: "say less"),
            .value("--a-very-long-option-name", "VALUE", help: "wraps"),
        ])
        let wrapped = String(repeating: " ", count: 30) + "wraps"
        #expect(
            help == "  --quiet                     say less\n  --a-very-long-option-name VALUE\n" + wrapped
        )
    }
}
