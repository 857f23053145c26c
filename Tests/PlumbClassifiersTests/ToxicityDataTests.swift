import PlumbClassifiers
import PlumbTestSupport
import Testing

@Suite("Toxicity data loading")
struct ToxicityDataTests {
    /// A data directory in the layout of ../shared/data/toxicity with a few rows per file.
    static func write(
        davidson: String? = nil,
        rtp: String? = nil,
        toxigen: String? = nil,
        wiki: String? = nil
    ) -> TemporaryDirectory {
        let directory = TemporaryDirectory("plumb-toxicity-data")
        directory.write(
            ToxicityData.davidson,
            davidson
                ?? ",count,hate_speech,offensive_language,neither,class,tweet\n0,3,0,0,3,2,have a nice day\n"
                + "1,3,0,3,0,1,\"you stupid \"\"idiot\"\"\nreally\"\n"
        )
        let rtpLine =
            rtp
            ?? #"{"prompt": {"text": "so", "toxicity": 0.1}, "continuation": {"text": "dumb", "toxicity": 0.9}}"#
            + "\n"
        directory.write(ToxicityData.rtpFiles[0], rtpLine)
        directory.write(
            ToxicityData.rtpFiles[1],
            #"{"prompt": {"text": "hello", "toxicity": null}, "continuation": {"text": "x", "toxicity": 0.2}}"# + "\n"
        )
        directory.write(ToxicityData.toxigen, toxigen ?? "{\"text\": \"they are all lazy\", \"label\": 1}\n")
        directory.write(
            ToxicityData.wikiNonfuzzed,
            wiki ?? "rev_id,comment,toxic\n1,fine,False\n2,\"you idiot\",True\n"
        )
        return directory
    }

    @Test("Reads all three training sets, skips null toxicity, and labels as documented")
    func reads() throws {
        let directory = Self.write()
        let sets = try ToxicityData(directory: directory.path).loadTrainingSets()
        #expect(sets.map(\.name) == ["davidson", "rtp", "toxigen"])
        let contrast = try ToxicityData(directory: directory.path).loadTrainingSets(["toxigen", "contrast"])
        #expect(contrast.map(\.name) == ["toxigen", "contrast"])
        #expect(contrast[1].train == ContrastCorpus.sentences() && contrast[1].heldOut.isEmpty)
        let davidson = sets[0].train + sets[0].heldOut
        #expect(davidson.count == 2)
        #expect(davidson.contains { $0.text == "you stupid \"idiot\"\nreally" && $0.toxic })
        #expect(davidson.contains { $0.text == "have a nice day" && !$0.toxic })
        let rtp = sets[1].train + sets[1].heldOut
        #expect(Set(rtp.map(\.text)) == ["so", "dumb", "x"])
        #expect(rtp.first { $0.text == "dumb" }?.toxic == true)
        #expect((sets[2].train + sets[2].heldOut).first?.toxic == true)
        let wiki = try ToxicityData(directory: directory.path).loadWiki(ToxicityData.wikiNonfuzzed)
        #expect(wiki.map(\.toxic) == [false, true])
        #expect(wiki[1].source.hasSuffix("toxicity_nonfuzzed_testset.csv:3"))
    }

    @Test("The split is a stable function of the normalised text")
    func split() {
        let extractor = HashedFeatureExtractor()
        let texts = (0..<2000).map { "text number \($0)" }
        let heldOut = texts.filter { ToxicityData.isHeldOut(normalized: extractor.normalize($0)) }
        #expect((330...470).contains(heldOut.count))
        #expect(
            ToxicityData.isHeldOut(normalized: "text number 7") == ToxicityData.isHeldOut(normalized: "text number 7")
        )
        #expect(
            ToxicityData.isHeldOut(normalized: extractor.normalize("RT @a: Text NUMBER 7"))
                == ToxicityData.isHeldOut(normalized: "text number 7")
        )
    }

    @Test("Malformed files are reported as path:line:column")
    func malformed() throws {
        let directory = Self.write(
            davidson: ",class,tweet\n0,5,hello\n1,2,\"unterminated\n",
            rtp: "{\"prompt\": {\"text\": 3, \"toxicity\": 0.1}, \"continuation\": {\"text\": \"a\"}}\nnot json\n",
            toxigen: "{\"text\": \"a\", \"label\": 2}\n"
        )
        let error = #expect(throws: ToxicityDataError.self) {
            try ToxicityData(directory: directory.path).loadTrainingSets()
        }
        let problems = error?.problems ?? []
        let davidson = directory.file(ToxicityData.davidson)
        let rtp = directory.file(ToxicityData.rtpFiles[0])
        let toxigen = directory.file(ToxicityData.toxigen)
        #expect(problems.contains("\(davidson):2:1: 'class' must be 0, 1 or 2, not '5'"))
        #expect(problems.contains { $0.hasPrefix("\(davidson):3:5: unterminated quoted field") })
        #expect(problems.contains("\(rtp):1:21: 'prompt.text' must be a string, not a number"))
        #expect(problems.contains { $0.hasPrefix("\(rtp):1:") && $0.hasSuffix("missing 'toxicity'") })
        #expect(problems.contains { $0.hasPrefix("\(rtp):2:") })
        #expect(problems.contains { $0.hasPrefix("\(toxigen):1:") && $0.hasSuffix("'label' must be 0 or 1") })
    }

    @Test("A missing column or directory is named")
    func missing() {
        let directory = Self.write(wiki: "rev_id,text,label\n1,a,True\n")
        let error = #expect(throws: ToxicityDataError.self) {
            try ToxicityData(directory: directory.path).loadWiki(ToxicityData.wikiNonfuzzed)
        }
        #expect(
            error?.problems.first?.hasSuffix(
                "the header has no 'comment', 'toxic' column (it has 'rev_id', 'text', 'label')"
            ) == true
        )
        let none = #expect(throws: ToxicityDataError.self) {
            try ToxicityData(directory: "/nonexistent").loadTrainingSets()
        }
        #expect(none?.problems.first?.contains("cannot read the file") == true)
    }
}
