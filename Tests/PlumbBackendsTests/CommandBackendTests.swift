import Foundation
@testable import PlumbBackends
import PlumbCore
import PlumbTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the `plumb-fake-model` executable that `swift build --build-tests` builds beside the tests.
enum FakeModelBinary {
    static let name = "plumb-fake-model"

    static let path: String? = BuiltProducts.path(of: name)

    static func require() throws -> String {
        try #require(path, "\(name) was not found; build it with `swift build --build-tests`")
    }
}

@Suite(.timeLimit(.minutes(2)))
struct CommandBackendTests {
    let context = RequestContext(itemID: "item-1", suiteName: "suite-a", sampleID: "sample-7", repeatIndex: 2)

    func fake(_ flags: [String], options: CommandBackend.Options = .init()) throws -> CommandBackend {
        try CommandBackend(name: "fake", command: [try FakeModelBinary.require()] + flags, options: options)
    }

    func ask(_ text: String) -> ModelRequest {
        ModelRequest(messages: [Message(role: .user, content: text)])
    }

    /// Runs `body`, which must fail with a `BackendError`, and returns that error.
    func backendError(_ body: () async throws -> Void) async -> BackendError? {
        do {
            try await body()
            Issue.record("expected a BackendError")
        } catch let error as BackendError {
            return error
        } catch {
            Issue.record("expected a BackendError, got \(error)")
        }
        return nil
    }

    /// Waits up to `seconds` for `pid` to be gone entirely (exited and reaped, so not a zombie).
    func processIsGone(_ pid: Int32, within seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if kill(pid, 0) == -1, errno == ESRCH { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func members(_ node: JSON5Node) -> [String] {
        guard case .object(let members) = node.value else { return [] }
        return members.map(\.key)
    }

    @Test func requestLinesContainExactlyTheDocumentedFields() async throws {
        let backend = try fake(["--echo-request"])
        let full = ModelRequest(
            messages: [Message(role: .system, content: "Be brief."), Message(role: .user, content: "Say \"hi\"\n")],
            maxTokens: 50,
            temperature: 0.7,
            topP: 0.9,
            seed: 42,
            stop: ["\n\n", "END"],
            logprobs: 2
        )
        let line = try await backend.complete(full, in: context).text
        let node = try JSON5Parser.parse(line, json5: false)
        #expect(
            members(node) == [
                "id", "messages", "max_tokens", "temperature", "top_p", "seed", "stop", "logprobs", "item",
            ]
        )
        guard case .object(let fields) = node.plain else { return }
        #expect(
            fields["messages"]
                == .array([
                    .object(["role": .string("system"), "content": .string("Be brief.")]),
                    .object(["role": .string("user"), "content": .string("Say \"hi\"\n")]),
                ])
        )
        #expect(fields["max_tokens"] == .number(50))
        #expect(fields["temperature"] == .number(0.7))
        #expect(fields["top_p"] == .number(0.9))
        #expect(fields["seed"] == .number(42))
        #expect(fields["stop"] == .array([.string("\n\n"), .string("END")]))
        #expect(fields["logprobs"] == .number(2))
        #expect(
            fields["item"]
                == .object([
                    "id": .string("item-1"), "suite": .string("suite-a"), "sample": .string("sample-7"),
                    "repeat": .number(2),
                ])
        )
        if case .object(let members) = node.value, let item = members.last {
            #expect(self.members(item.value) == ["id", "suite", "sample", "repeat"])
        }

        let minimal = try JSON5Parser.parse(try await backend.complete(ask("q"), in: context).text, json5: false)
        #expect(members(minimal) == ["id", "messages", "stop", "item"])
        // Request ids are unique.
        #expect(minimal.plain != node.plain)
        if case .object(let first) = node.plain, case .object(let second) = minimal.plain {
            #expect(first["id"] != second["id"])
        }

        let choices = try await backend.complete(ask("q"), count: 2, in: context)
        let echoed = try #require(choices.first?.text)
        #expect(echoed.hasSuffix(" #1"))
        let withCount = try JSON5Parser.parse(String(echoed.dropLast(3)), json5: false)
        #expect(members(withCount) == ["id", "messages", "stop", "n", "item"])
        if case .object(let fields) = withCount.plain { #expect(fields["n"] == .number(2)) }
        await backend.shutdown()
    }

    @Test func echoesWithUsageAndReportsItsIdentity() async throws {
        let path = try FakeModelBinary.require()
        let backend = try CommandBackend(name: "fake", command: [path, "--delay-ms", "1"])
        let response = try await backend.complete(ask("hello there world"), in: context)
        #expect(response.text == "echo: hello there world")
        #expect(response.finishReason == "stop")
        #expect(response.usage == TokenUsage(promptTokens: 3, completionTokens: 4))
        #expect(response.latency != nil)
        #expect(backend.identity.kind == "command")
        #expect(backend.identity.name == "fake")
        #expect(backend.identity.model == "plumb-fake-model")
        #expect(backend.identity.settings == ["command": "\(path) --delay-ms 1"])
        #expect(backend.capabilities.multipleChoices)
        await backend.shutdown()
    }

    @Test func outOfOrderAnswersAreMatchedToTheirRequests() async throws {
        let backend = try fake(["--out-of-order"])
        let prompts = (0..<8).map { "prompt \($0)" }
        let answers = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for prompt in prompts {
                group.addTask { (prompt, try await backend.complete(self.ask(prompt), in: self.context).text) }
            }
            var answers: [String: String] = [:]
            for try await (prompt, text) in group { answers[prompt] = text }
            return answers
        }
        #expect(answers.count == prompts.count)
        for prompt in prompts { #expect(answers[prompt] == "echo: \(prompt)") }
        await backend.shutdown()
    }

    @Test func asksForSeveralChoicesInOneRequest() async throws {
        let backend = try fake([])
        let responses = try await backend.complete(ask("pick one"), count: 3, in: context)
        #expect(responses.map(\.text) == ["echo: pick one #1", "echo: pick one #2", "echo: pick one #3"])
        #expect(responses.map(\.finishReason) == ["stop", "stop", "stop"])
        // The answer's usage covers all choices, so it is recorded once.
        #expect(responses[0].usage == TokenUsage(promptTokens: 2, completionTokens: 12))
        #expect(responses[1].usage == nil)
        #expect(try await backend.complete(ask("x"), count: 0, in: context).isEmpty)
        await backend.shutdown()
    }

    @Test func errorAnswersArePermanentUnlessMarkedTransient() async throws {
        let backend = try fake(["--error-on", "forbidden", "--transient-error-on", "flaky"])
        let permanent = await backendError { _ = try await backend.complete(ask("a forbidden thing"), in: context) }
        #expect(permanent?.code == .badRequest)
        #expect(permanent?.isTransient == false)
        #expect(permanent?.message.contains("refused: the prompt contains 'forbidden'") == true)
        let transient = await backendError { _ = try await backend.complete(ask("a flaky thing"), in: context) }
        #expect(transient?.code == .serverError)
        #expect(transient?.isTransient == true)
        #expect(transient?.message.contains("overloaded, try again") == true)
        // An error answer is a normal exchange: the same program goes on answering.
        let pid = backend.processIdentifier
        #expect(try await backend.complete(ask("fine"), in: context).text == "echo: fine")
        #expect(backend.processIdentifier == pid)
        await backend.shutdown()
    }

    @Test func aProgramThatDiesFailsWaitingRequestsAndIsRestarted() async throws {
        let backend = try fake(["--die-after", "1"])
        #expect(try await backend.complete(ask("one"), in: context).text == "echo: one")
        let firstPID = try #require(backend.processIdentifier)
        let error = await backendError { _ = try await backend.complete(ask("two"), in: context) }
        #expect(error?.code == .processFailed)
        #expect(error?.isTransient == true)
        #expect(error?.message.contains("exited with status 3") == true)
        #expect(error?.message.contains("1 request was waiting") == true)
        #expect(error?.message.contains("stderr: fake-model: dying after 1 answers") == true)
        // The next request starts the program again.
        #expect(try await backend.complete(ask("three"), in: context).text == "echo: three")
        #expect(backend.processIdentifier != firstPID)
        await backend.shutdown()
    }

    @Test func everyRequestInFlightFailsWhenTheProgramDies() async throws {
        // Out of order, the first answer waits for a second request, so both are in flight when it dies.
        let backend = try fake(["--out-of-order", "--die-after", "0"])
        let errors = await withTaskGroup(of: BackendError?.self) { group in
            for prompt in ["a", "b"] {
                group.addTask {
                    await self.backendError { _ = try await backend.complete(self.ask(prompt), in: self.context) }
                }
            }
            var errors: [BackendError] = []
            for await error in group { if let error { errors.append(error) } }
            return errors
        }
        #expect(errors.count == 2)
        for error in errors {
            #expect(error.code == .processFailed)
            #expect(error.message.contains("exited with status 3 while 2 requests were waiting"))
        }
        await backend.shutdown()
    }

    @Test func theStderrTailKeepsTheLastTwentyLines() async throws {
        let received = Mutex<[String]>([])
        let options = CommandBackend.Options(stderrLine: { line in received.withLock { $0.append(line) } })
        let backend = try fake(["--stderr-lines", "40", "--die-after", "0"], options: options)
        let error = await backendError { _ = try await backend.complete(ask("x"), in: context) }
        let message = try #require(error?.message)
        #expect(message.contains("fake-model: log line 22 | "))
        #expect(!message.contains("log line 21 "))
        #expect(message.hasSuffix("log line 40 | fake-model: dying after 0 answers"))
        #expect(received.withLock { $0.count } == 41)
        await backend.shutdown()
    }

    @Test func aProgramThatCrashesOnStartIsGivenUpOn() async throws {
        let backend = try fake(["--crash-on-start"], options: CommandBackend.Options(crashLimit: 2))
        // A large request fills the pipe, so writing it fails with EPIPE once the program is gone; Plumb must
        // not be killed by SIGPIPE.
        let large = ask(String(repeating: "many words ", count: 100_000))
        let first = await backendError { _ = try await backend.complete(large, in: context) }
        #expect(first?.code == .processFailed)
        #expect(first?.isTransient == true)
        #expect(first?.message.contains("exited with status 1") == true)
        #expect(first?.message.contains("stderr: fatal: cannot load weights") == true)
        let second = await backendError { _ = try await backend.complete(ask("again"), in: context) }
        #expect(second?.isTransient == true)
        let third = await backendError { _ = try await backend.complete(ask("again"), in: context) }
        #expect(third?.code == .configuration)
        #expect(third?.isTransient == false)
        #expect(third?.message.contains("keeps crashing") == true)
        #expect(third?.message.contains("fatal: cannot load weights") == true)
        // From now on every request fails at once, without starting the program.
        let fourth = await backendError { _ = try await backend.complete(ask("again"), in: context) }
        #expect(fourth?.message == third?.message)
        #expect(backend.processIdentifier == nil)
        await backend.shutdown()
    }

    @Test func outputThatIsNotJSONIsAnInvalidResponseAndRestartsTheProgram() async throws {
        let backend = try fake(["--garbage-after", "1"])
        #expect(try await backend.complete(ask("one"), in: context).text == "echo: one")
        let firstPID = try #require(backend.processIdentifier)
        let error = await backendError { _ = try await backend.complete(ask("two"), in: context) }
        #expect(error?.code == .invalidResponse)
        #expect(error?.isTransient == false)
        #expect(error?.message.contains("a line that is not a JSON object: this is not JSON {") == true)
        #expect(try await backend.complete(ask("three"), in: context).text == "echo: three")
        #expect(backend.processIdentifier != firstPID)
        await backend.shutdown()
    }

    @Test func aMissingOrUnusableProgramIsAConfigurationErrorNamingIt() throws {
        func configurationError(_ command: [String], workingDirectory: String? = nil) -> BackendError? {
            do {
                _ = try CommandBackend(command: command, workingDirectory: workingDirectory)
                Issue.record("expected an error for \(command)")
            } catch let error as BackendError {
                #expect(error.code == .configuration)
                return error
            } catch {
                Issue.record("unexpected \(error)")
            }
            return nil
        }
        let missing = configurationError(["plumb-no-such-program-xyz", "--flag"])
        #expect(missing?.message.contains("'plumb-no-such-program-xyz' was not found on PATH") == true)
        let missingPath = configurationError(["/nonexistent/plumb/model.py"])
        #expect(missingPath?.message.contains("'/nonexistent/plumb/model.py' does not exist") == true)
        let directory = TemporaryDirectory()
        let script = directory.write("model.sh", "not executable\n")
        let notExecutable = configurationError([script])
        #expect(notExecutable?.message.contains("'\(script)' is not an executable file") == true)
        let noDirectory = configurationError([try FakeModelBinary.require()], workingDirectory: "/nonexistent/dir")
        #expect(noDirectory?.message.contains("'/nonexistent/dir' does not exist") == true)
        _ = configurationError([])
    }

    @Test func argumentsArePassedVerbatimWithoutAShell() async throws {
        let tricky = ["a b; rm -rf /", "$(touch /tmp/plumb-pwned)", "*", "'single' \"double\"", "", "x|y&&z", "é 🙂"]
        let backend = try fake(["--print-args"] + tricky)
        let text = try await backend.complete(ask("args?"), in: context).text
        let arguments = try JSONDecoder().decode([String].self, from: Data(text.utf8))
        #expect(arguments == ["--print-args"] + tricky)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/plumb-pwned"))
        await backend.shutdown()
    }

    @Test func aBareNameIsFoundOnPATHWithExtraEnvironmentAndWorkingDirectory() async throws {
        let binary = try FakeModelBinary.require()
        let binDirectory = (binary as NSString).deletingLastPathComponent
        let directory = TemporaryDirectory()
        let environment = ["PATH": "/nonexistent:" + binDirectory, "PLUMB_FAKE_SECRET": "s3cret value"]
        let withEnvironment = try CommandBackend(
            command: ["plumb-fake-model", "--print-env", "PLUMB_FAKE_SECRET"],
            environment: environment
        )
        #expect(withEnvironment.executablePath == binary)
        #expect(try await withEnvironment.complete(ask("env?"), in: context).text == "s3cret value")
        #expect(!"\(withEnvironment.identity) \(withEnvironment.identity.settings)".contains("s3cret"))
        #expect(withEnvironment.identity.model == "plumb-fake-model")
        await withEnvironment.shutdown()

        let inDirectory = try CommandBackend(
            command: ["plumb-fake-model", "--print-cwd"],
            workingDirectory: directory.path,
            environment: ["PATH": binDirectory]
        )
        let cwd = try await inDirectory.complete(ask("where?"), in: context).text
        #expect(
            URL(fileURLWithPath: cwd).resolvingSymlinksInPath().path
                == URL(fileURLWithPath: directory.path).resolvingSymlinksInPath().path
        )
        await inDirectory.shutdown()
    }

    @Test func cancellationReturnsPromptlyAndTheLateAnswerIsIgnored() async throws {
        // The program answers 3 s after it reads the request, so a call that returns well within 2 s of its
        // cancellation did not wait for the answer.
        let backend = try fake(["--delay-ms", "3000"])
        let task = Task { try await backend.complete(ask("slow"), in: context) }
        let deadline = Date().addingTimeInterval(30)
        while backend.processIdentifier == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let pid = try #require(backend.processIdentifier)
        try await Task.sleep(for: .milliseconds(200))
        let cancelled = Date()
        task.cancel()
        let result = await task.result
        #expect(Date().timeIntervalSince(cancelled) < 2)
        #expect(throws: CancellationError.self) { try result.get() }
        // The program still answers the cancelled request later; that answer is dropped without fuss.
        #expect(try await backend.complete(ask("after"), in: context).text == "echo: after")
        #expect(backend.processIdentifier == pid)
        await backend.shutdown()
    }

    @Test func aRequestTimeoutIsTransient() async throws {
        let backend = try fake(["--delay-ms", "3000"], options: CommandBackend.Options(requestTimeout: 0.3))
        let error = await backendError { _ = try await backend.complete(ask("slow"), in: context) }
        #expect(error?.code == .timeout)
        #expect(error?.isTransient == true)
        await backend.shutdown()
    }

    @Test func shutdownAndReleaseLeaveNoProcessBehind() async throws {
        let backend = try fake([])
        _ = try await backend.complete(ask("hi"), in: context)
        let pid = try #require(backend.processIdentifier)
        await backend.shutdown()
        #expect(backend.processIdentifier == nil)
        #expect(await processIsGone(pid, within: 10))
        // A request after shutdown starts the program again.
        #expect(try await backend.complete(ask("again"), in: context).text == "echo: again")
        await backend.shutdown()

        var released: CommandBackend? = try fake([])
        _ = try await released?.complete(ask("hi"), in: context)
        let releasedPID = try #require(released?.processIdentifier)
        released = nil
        #expect(await processIsGone(releasedPID, within: 10))
    }
}

@Suite struct LineSplitterTests {
    @Test func linesAreSplitAcrossChunksAndBlankOnesSkipped() {
        var splitter = LineSplitter(limit: 16)
        #expect(splitter.append(Array("ab".utf8)[...]) == [])
        #expect(splitter.append(Array("c\r\n\n  \nde".utf8)[...]) == [.line(Array("abc".utf8))])
        #expect(splitter.finish() == Array("de".utf8))
    }

    @Test func aLineLongerThanTheLimitIsCutAndTheRestSkipped() {
        var splitter = LineSplitter(limit: 8)
        let first = splitter.append(Array("0123456789".utf8)[...])
        #expect(first == [.overlong(prefix: Array("0123456789".utf8), bytes: 10)])
        // The rest of that line is skipped, however much comes, until its newline.
        #expect(splitter.append(Array(repeating: UInt8(ascii: "#"), count: 100_000)[...]) == [])
        #expect(splitter.append(Array("###\n{\"id\":1}\n".utf8)[...]) == [.line(Array("{\"id\":1}".utf8))])
        #expect(splitter.finish() == nil)
    }
}
