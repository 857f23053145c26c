import Foundation
import PlumbChecks
import PlumbCore
import PlumbRunner
import PlumbTestSupport
import Testing

/// The judge's cache and the model-under-test cache never answer for each other, even for the same backend and
/// the same request in the same directory.
@Suite struct JudgeCacheSeparationTests {
    @Test func theJudgeCacheAndTheModelCacheAreSeparate() throws {
        let directory = TemporaryDirectory("cache-separation")
        let identity = BackendIdentity(kind: "openai", name: "gpt", model: "gpt-x")
        let request = ModelRequest(messages: [Message(role: .user, content: "grade this")], temperature: 0, seed: 1)
        let judgeKey = JudgeCache.key(judge: identity, rubricVersion: "sha256:000000000000", request: request)

        let models = try ResponseCache(directory: directory.path, identity: identity)
        models.store(ModelResponse(text: "model answer"), for: judgeKey)
        let judges = try JudgeCache(directory: directory.path)
        #expect(judges.count == 0)
        #expect(judges.response(for: judgeKey) == nil)

        judges.store(ModelResponse(text: "VERDICT: PASS"), for: judgeKey, judge: identity, rubricVersion: "v")
        #expect(judges.file != models.file)
        let reopenedModels = try ResponseCache(directory: directory.path, identity: identity)
        #expect(reopenedModels.count == 1)
        #expect(reopenedModels.response(for: judgeKey)?.text == "model answer")
        let reopenedJudges = try JudgeCache(directory: directory.path)
        #expect(reopenedJudges.count == 1)
        #expect(reopenedJudges.response(for: judgeKey)?.text == "VERDICT: PASS")
    }

    @Test func theDefaultDirectoriesDiffer() {
        #expect(JudgeCache.defaultDirectory == ".plumb/judge-cache")
    }
}

@Suite struct ScorerMetadataTests {
    struct Annotated: Check {
        func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
            CheckResult(.pass, score: 0.25, reason: "ok", metadata: ["judge": "scripted:j", "rubricVersion": "v1"])
        }
    }

    @Test func scorerCopiesMetadataIntoTheRecord() async {
        var suite = SuiteFixtures.suite(count: 1)
        suite.checks = [
            CheckBinding(
                name: "graded",
                type: "judge",
                check: Annotated(),
                location: SourceLocation(file: "f", line: 1)
            )
        ]
        let item = Planner.items(for: suite)[0]
        let scored = await Scorer.score(
            item: item,
            sample: suite.samples[0],
            response: ModelResponse(text: "x"),
            suite: suite
        )
        #expect(scored.checks.map(\.metadata) == [["judge": "scripted:j", "rubricVersion": "v1"]])
        #expect(scored.checks.map(\.score) == [0.25])
    }

    @Test func metadataIsOmittedFromJSONWhenEmptyAndRoundTrips() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plain = CheckRecord(name: "c", type: "t", outcome: .pass, score: 1, reason: "r", weight: 1)
        let plainJSON = String(decoding: try encoder.encode(plain), as: UTF8.self)
        #expect(plainJSON == #"{"name":"c","outcome":"pass","reason":"r","score":1,"type":"t","weight":1}"#)
        #expect(try JSONDecoder().decode(CheckRecord.self, from: Data(plainJSON.utf8)) == plain)

        var annotated = plain
        annotated.metadata = ["judge": "j"]
        let data = try encoder.encode(annotated)
        #expect(String(decoding: data, as: UTF8.self).contains(#""metadata":{"judge":"j"}"#))
        #expect(try JSONDecoder().decode(CheckRecord.self, from: data) == annotated)

        let result = CheckResult(.fail, score: 0, reason: "no", metadata: ["classifier": "c"])
        #expect(try JSONDecoder().decode(CheckResult.self, from: try encoder.encode(result)) == result)
        let bare = String(decoding: try encoder.encode(CheckResult.error("x")), as: UTF8.self)
        #expect(bare == #"{"outcome":"error","reason":"x"}"#)
    }
}
