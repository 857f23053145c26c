import PlumbCore
import PlumbTestSupport
import Testing

/// Inline model specs (`--model`), case by case.
@Suite struct ModelSpecTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var kind: ModelSpec.Kind? = nil
        var model: String? = nil
        var baseURL: String? = nil
        var endpoint: String? = nil
        var command: [String] = []
        var path: String? = nil
        var error: String? = nil
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "builtin", kind: .builtin),
        Case(text: "base"),  // a bare word: a name to look up in plumb.json5
        Case(text: "replay:Reports/a/report.json", kind: .replay, path: "Reports/a/report.json"),
        Case(text: "openai:gpt-4o-mini", kind: .openai, model: "gpt-4o-mini", endpoint: "chat"),
        Case(
            text: "openai:llama@http://127.0.0.1:8000/v1",
            kind: .openai,
            model: "llama",
            baseURL: "http://127.0.0.1:8000/v1",
            endpoint: "chat"
        ),
        Case(
            text: "openai-completions:m@http://h:1/v1",
            kind: .openai,
            model: "m",
            baseURL: "http://h:1/v1",
            endpoint: "completions"
        ),
        Case(text: "anthropic:claude-3-5-haiku-latest", kind: .anthropic, model: "claude-3-5-haiku-latest"),
        Case(
            text: "command:./serve --stdio",
            kind: .command,
            model: "./serve",
            command: ["./serve", "--stdio"]
        ),
        Case(text: "replay:", error: "'replay:' needs a path, e.g. replay:Reports/run/report.json"),
        Case(text: "openai:", error: "'openai:' names no model; write openai:MODEL or openai:MODEL@BASE_URL"),
        Case(text: "openai:m@ftp://x", error: "'ftp://x' in 'openai:m@ftp://x' is not an http(s) URL"),
        Case(text: "command:", error: "'command:' needs a program, e.g. command:./serve-checkpoint --stdio"),
        Case(
            text: "http://127.0.0.1:8000/v1",
            error: "'http://127.0.0.1:8000/v1' is a URL; write openai:MODEL@http://127.0.0.1:8000/v1 for an "
                + "OpenAI-compatible server"
        ),
        Case(
            text: "opnai:m",
            error: "unknown model kind 'opnai'; did you mean 'openai'? (kinds: builtin, replay, openai, "
                + "openai-completions, anthropic, command)"
        ),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) {
        do {
            let spec = try ModelSpec.parseInline(testCase.text)
            #expect(testCase.error == nil, "expected an error")
            guard let kind = testCase.kind else {
                #expect(spec == nil)
                return
            }
            #expect(spec?.name == testCase.text)
            #expect(spec?.kind == kind)
            #expect(spec?.model == testCase.model)
            #expect(spec?.baseURL == testCase.baseURL)
            #expect(spec?.endpoint == testCase.endpoint)
            #expect(spec?.command == testCase.command)
            #expect(spec?.path == testCase.path)
        } catch {
            #expect(error.message == testCase.error)
        }
    }

    @Test func aKindAPlugInRegisteredParsesAsKindModelAtURL() throws {
        let vertex = ModelSpec.Kind("vertex")
        let spec = try #require(try ModelSpec.parseInline("vertex:gemini@https://x.example/v1", kinds: [vertex]))
        #expect(spec.kind == vertex && spec.model == "gemini" && spec.baseURL == "https://x.example/v1")
        #expect(throws: ModelSpec.ParseError.self) { try ModelSpec.parseInline("vertex:gemini") }
    }
}

/// `plumb.json5`, case by case: every problem located.
@Suite struct ModelConfigTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        /// `line:column: message` of each diagnostic, in order.
        var diagnostics: [String]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "valid",
            text: """
                { models: {
                    base: { type: "openai", model: "llama", baseURL: "http://127.0.0.1:8000/v1", timeout: 90 },
                    local: { type: "command", command: ["./serve", "--ckpt", "v3"] },
                    rec: { type: "replay", path: "r.jsonl" },
                } }
                """,
            diagnostics: []
        ),
        Case(
            label: "unknown type",
            text: "{ models: { a: { type: \"opnai\", model: \"m\" } } }",
            diagnostics: [
                "1:24: unknown model type 'opnai'; did you mean 'openai'? (types: builtin, replay, openai, anthropic, command)"
            ]
        ),
        Case(
            label: "missing model id",
            text: "{ models: {\n  a: { type: \"anthropic\" } } }",
            diagnostics: ["2:6: model 'a' needs 'model' (the model id the server expects)"]
        ),
        Case(
            label: "a key instead of its variable",
            text: "{ models: { a: { type: \"openai\", model: \"m\", apiKeyEnv: \"sk-abc\" } } }",
            diagnostics: ["1:57: 'apiKeyEnv' names the environment variable that holds the key, not the key itself"]
        ),
        Case(
            label: "bad base URL",
            text: "{ models: { a: { type: \"openai\", model: \"m\", baseURL: \"localhost:8000\" } } }",
            diagnostics: ["1:55: 'baseURL' of model 'a' must be an http(s) URL, found 'localhost:8000'"]
        ),
        Case(
            label: "command without a program",
            text: "{ models: { a: { type: \"command\" } } }",
            diagnostics: ["1:16: model 'a' needs 'command': the program and its arguments"]
        ),
        Case(
            label: "syntax error",
            text: "{ models: { a: { type: \"openai\" ",
            diagnostics: ["1:33: unexpected end of input; expected ',' or '}' after an object member"]
        ),
    ]

    @Test(arguments: cases)
    func validates(_ testCase: Case) throws {
        let directory = TemporaryDirectory()
        let path = directory.write("plumb.json5", testCase.text)
        let (config, diagnostics) = ModelConfig.load(path)
        let found = diagnostics.map { "\($0.location.line):\($0.location.column ?? 0): \($0.message)" }
        #expect(found == testCase.diagnostics)
        if testCase.diagnostics.isEmpty {
            let models = try #require(config?.models)
            #expect(models["base"]?.requestTimeout == 90)
            #expect(models["base"]?.endpoint == "chat")
            #expect(models["local"]?.model == "./serve")
            #expect(models["rec"]?.path == "r.jsonl")
        } else {
            #expect(config == nil)
        }
    }
}
