import Foundation
import PlumbCLI
import PlumbCore
import PlumbTestSupport
import Testing

/// The comparison page in a real headless browser (Chromium, which `.ci/run` installs from the distribution's
/// packages): it loads with no console message, its filters work, and a model output carrying script payloads
/// stays text. Skipped, with the reason, where no Chromium is installed.
@Suite(.timeLimit(.minutes(3)))
struct ComparisonBrowserTests {
    static let browser: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// Runs the browser headless on `url` with `arguments`; returns what it printed (stdout, stderr).
    static func browse(_ url: String, _ arguments: [String], in directory: TemporaryDirectory) async throws
        -> (out: String, err: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(browser))
        let profile = directory.file("profile-\(UUID().uuidString)")
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
                "--enable-logging=stderr", "--v=0",
            ] + arguments + [url]
        let out = directory.file("browser-\(UUID().uuidString).out")
        let err = directory.file("browser-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume()
                return
            }
            // A browser that hangs is stopped, so the test fails rather than waits forever.
            DispatchQueue.global().asyncAfter(deadline: .now() + 90) { if process.isRunning { process.terminate() } }
        }
        return (
            directory.read(out.replacingOccurrences(of: directory.path + "/", with: "")) ?? "",
            directory.read(err.replacingOccurrences(of: directory.path + "/", with: "")) ?? ""
        )
    }

    @Test(.enabled(if: browser != nil, "needs Chromium (apt-get install chromium; .ci/run installs it)"))
    func thePageLoadsCleanlyFiltersAndKeepsPayloadsAsText() async throws {
        let directory = TemporaryDirectory()
        let suite = CompareCommandTests.suite(directory, count: 30)
        let payload = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned2'\">"
        let base = try await CompareCommandTests.run(suite, failing: [7], count: 30, in: directory, name: "base")
        let candidate = try await CompareCommandTests.run(
            suite,
            failing: [1, 2, 3],
            count: 30,
            in: directory,
            name: "cand",
            outputs: [2: payload]
        )
        let result = await plumb("compare", base, candidate, "--out", directory.file("cmp"))
        #expect([0, 1].contains(result.code), "\(result.err)")
        let page = "file://" + directory.file("cmp/comparison.html")

        // As opened: the flipped items (three pass→fail, one fail→pass), no console message at all (a script
        // error, a blocked script or a payload that ran would log one).
        let opened = try await Self.browse(page, ["--virtual-time-budget=3000", "--dump-dom"], in: directory)
        let console = opened.err.split(separator: "\n").filter { $0.contains("CONSOLE") }
        #expect(console.isEmpty, "console: \(console)")
        #expect(opened.out.contains(">4 of 30 items<"), "\(opened.out.suffix(2000))")
        #expect(opened.out.contains("<title>Plumb comparison"))
        #expect(!opened.out.contains("pwned</title>") && !opened.out.contains("<img src=\"x\""))
        #expect(opened.out.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))

        // A filter chosen in the address: only pass→fail items are shown, by the page's own script.
        let filtered = try await Self.browse(
            page + "#filter=pass-fail",
            ["--virtual-time-budget=3000", "--dump-dom"],
            in: directory
        )
        #expect(filtered.out.contains(">3 of 30 items<"), "\(filtered.out.suffix(2000))")
        let shown = filtered.out.components(separatedBy: "<li ").dropFirst().filter {
            !$0.prefix(200).contains("hidden")
        }
        #expect(shown.count == 3 && shown.allSatisfy { $0.hasPrefix("data-kind=\"flipped pass-fail") }, "\(shown)")
    }

    @Test(.enabled(if: browser != nil, "needs Chromium (apt-get install chromium; .ci/run installs it)"))
    func aLargeRunReportOpensWithOnePageAndSearchesThemAll() async throws {
        let directory = TemporaryDirectory()
        let samples = (0..<450).map { "{\"id\": \"s\($0)\", \"q\": \"needle-\($0) what is \($0) plus one?\"}" }
        directory.write("many.jsonl", samples.joined(separator: "\n") + "\n")
        let suite = directory.write(
            "many.suite.json5",
            """
            { format: 1, name: "many", kind: "generation", samples: "many.jsonl", prompt: "{{q}}",
              checks: [{ type: "word-count", max: 1000 }] }
            """
        )
        let run = await plumb("run", suite, "--model", "builtin", "--out", directory.file("run"), "--format", "none")
        #expect(run.code == 0, "\(run.err)")
        let page = "file://" + directory.file("run/report.html")
        let opened = try await Self.browse(page, ["--virtual-time-budget=3000", "--dump-dom"], in: directory)
        let console = opened.err.split(separator: "\n").filter { $0.contains("CONSOLE") }
        #expect(console.isEmpty, "console: \(console)")
        #expect(opened.out.contains(">Showing 200 of 450 items<"), "\(opened.out.suffix(1500))")
        #expect(opened.out.contains(">Show 200 more (250 not shown)<"))
        // A search in the address looks through every page, by the page's own script.
        let searched = try await Self.browse(
            page + "#search=needle-449",
            ["--virtual-time-budget=3000", "--dump-dom"],
            in: directory
        )
        #expect(searched.out.contains(">Showing 1 of 450 items<"), "\(searched.out.suffix(1500))")
        #expect(!searched.out.contains("text/x-plumb-items"), "every page was added")
        // A malformed search in the address does not stop the script: the filter bar still works.
        let malformed = try await Self.browse(
            page + "#search=100%",
            ["--virtual-time-budget=3000", "--dump-dom"],
            in: directory
        )
        #expect(malformed.out.contains(">Showing 0 of 450 items<"), "\(malformed.out.suffix(1500))")
    }
}
