import PlumbChecks
import PlumbCore
import PlumbMetrics
import PlumbTestSupport
import Testing

@Suite struct PlannerTests {
    func loadDemo() throws -> Suite {
        let directory = TemporaryDirectory()
        let path = directory.write("demo.suite.json5", validSuite)
        return try #require(SuiteLoader(registry: .builtins, metrics: .builtins).loadSuite(at: path).0)
    }

    @Test func expandsSamplesTimesRepeats() throws {
        let items = Planner.items(for: try loadDemo())
        #expect(items.map(\.sampleID) == ["a", "a", "b", "b"])
        #expect(items.map(\.repeatIndex) == [0, 1, 0, 1])
        #expect(Set(items.map(\.id)).count == 4)
        #expect(items[0].request.maxTokens == 20)
        #expect(items[0].request.seed == 42)
    }

    /// The id scheme is documented; this pins it, so a change to it is a deliberate, visible one.
    @Test func itemIDsAreStableAcrossRunsAndMachines() throws {
        let request = ModelRequest(
            messages: [Message(role: .system, content: "Be brief."), Message(role: .user, content: "What is 2 + 2?")],
            maxTokens: 20,
            temperature: 0,
            seed: 42
        )
        let id = EvalItem.makeID(
            suiteContentHash: String(repeating: "0", count: 64),
            sampleID: "a",
            repeatIndex: 1,
            request: request
        )
        // Computed independently: hashlib.sha256(...).hexdigest()[:16] over the documented input (scheme v2).
        #expect(id == "0be8a1b144aee74e")
        let variant = EvalItem.makeID(
            suiteContentHash: String(repeating: "0", count: 64),
            sampleID: "a",
            group: "group-b",
            repeatIndex: 1,
            request: request
        )
        #expect(variant == "07b3094a69a76380")
        // The same suite loaded twice plans the same ids.
        #expect(Planner.items(for: try loadDemo()).map(\.id) == Planner.items(for: try loadDemo()).map(\.id))
    }

    @Test func idsChangeWithWhatChangesTheRequest() {
        let base = ModelRequest(messages: [Message(role: .user, content: "hi")], temperature: 0)
        var warmer = base
        warmer.temperature = 0.5
        let hash = String(repeating: "a", count: 64)
        let ids = [
            EvalItem.makeID(suiteContentHash: hash, sampleID: "s", repeatIndex: 0, request: base),
            EvalItem.makeID(suiteContentHash: hash, sampleID: "s", repeatIndex: 1, request: base),
            EvalItem.makeID(suiteContentHash: hash, sampleID: "t", repeatIndex: 0, request: base),
            EvalItem.makeID(suiteContentHash: hash, sampleID: "s", group: "g", repeatIndex: 0, request: base),
            EvalItem.makeID(suiteContentHash: hash, sampleID: "s", repeatIndex: 0, request: warmer),
            EvalItem.makeID(
                suiteContentHash: String(repeating: "b", count: 64),
                sampleID: "s",
                repeatIndex: 0,
                request: base
            ),
        ]
        #expect(Set(ids).count == ids.count)
    }
}

@Suite struct RepeatSeedTests {
    /// With a seed, repeat r asks with seed + r, so a server that honours seeds gives k different (and
    /// reproducible) answers rather than k copies of one.
    @Test func eachRepeatHasItsOwnSeed() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("demo.suite.json5", validSuite)
        let suite = try #require(SuiteLoader(registry: .builtins, metrics: .builtins).loadSuite(at: path).0)
        let items = Planner.items(for: suite)
        #expect(items.map(\.request.seed) == [42, 43, 42, 43])
    }
}
