import PlumbBackends
import PlumbCore
import PlumbTestSupport
import Testing

@Suite struct ReplayBackendTests {
    let request = ModelRequest(messages: [Message(role: .user, content: "q")])

    @Test func answersFromJSONLByIDOrBySampleKey() async throws {
        let directory = TemporaryDirectory()
        let path = directory.write(
            "rec.jsonl",
            """
            {"id": "abc", "output": "by id"}
            {"suite": "s", "sampleID": "x", "repeatIndex": 1, "output": "by key", "finishReason": "stop"}

            """
        )
        let replay = try ReplayBackend(path: path)
        let byID = try await replay.complete(
            request,
            in: RequestContext(itemID: "abc", suiteName: "s", sampleID: "zzz", repeatIndex: 0)
        )
        #expect(byID.text == "by id")
        let byKey = try await replay.complete(
            request,
            in: RequestContext(itemID: "other", suiteName: "s", sampleID: "x", repeatIndex: 1)
        )
        #expect(byKey.text == "by key")
    }

    @Test func aMissingItemIsAClearPermanentError() async throws {
        let directory = TemporaryDirectory()
        let replay = try ReplayBackend(path: directory.write("rec.jsonl", "{\"id\": \"abc\", \"output\": \"x\"}\n"))
        do {
            _ = try await replay.complete(
                request,
                in: RequestContext(itemID: "nope", suiteName: "s", sampleID: "q7", repeatIndex: 0)
            )
            Issue.record("expected an error")
        } catch let error as BackendError {
            #expect(error.code == .missingRecording)
            #expect(!error.isTransient)
            #expect(error.message.contains("no answer for item nope (suite 's', sample 'q7', repeat 0)"))
        }
    }

    @Test func aBrokenRecordingFileIsReportedWithItsLine() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("rec.jsonl", "{\"id\": \"a\", \"output\": \"x\"}\n{\"id\": \"b\", \n")
        #expect {
            try ReplayBackend(path: path)
        } throws: { error in
            (error as? BackendError)?.message.contains("rec.jsonl:2:") == true
        }
    }

    @Test func aMissingFileIsAConfigurationError() {
        #expect(throws: BackendError.self) { try ReplayBackend(path: "/nonexistent/rec.jsonl") }
    }
}
