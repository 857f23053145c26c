public import Foundation
import PlumbCore
import PlumbMetrics

/// XML text and attribute values: the five markup characters escaped, and characters XML 1.0 forbids (controls
/// other than tab, newline and carriage return; lone surrogates cannot occur in Swift strings; U+FFFE, U+FFFF)
/// replaced by U+FFFD, so any model output makes a well-formed document.
enum XMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func clip(_ text: String, _ limit: Int = 2_000) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}

/// A JUnit XML document (the Ant schema most CI test tabs read): `testsuites` › `testsuite` › `testcase` with
/// `failure`, `error`, `skipped` and `system-out`.
struct JUnitDocument {
    struct Case {
        var classname: String
        var name: String
        var time: Double?
        /// `failure` or `error`, its message and details; nil when the case passed.
        var problem: (kind: String, type: String, message: String, details: String)?
        var output: String?
    }

    var name: String
    var suites: [(name: String, cases: [Case])] = []

    func render() -> String {
        let all = suites.flatMap(\.cases)
        func count(_ kind: String, _ cases: [Case]) -> Int { cases.filter { $0.problem?.kind == kind }.count }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"\(XMLText.escape(name))\" tests=\"\(all.count)\" failures=\"\(count("failure", all))\" "
            + "errors=\"\(count("error", all))\">\n"
        for suite in suites {
            xml +=
                "  <testsuite name=\"\(XMLText.escape(suite.name))\" tests=\"\(suite.cases.count)\" "
                + "failures=\"\(count("failure", suite.cases))\" errors=\"\(count("error", suite.cases))\">\n"
            for testCase in suite.cases {
                xml +=
                    "    <testcase classname=\"\(XMLText.escape(testCase.classname))\" name=\"\(XMLText.escape(testCase.name))\""
                if let time = testCase.time { xml += " time=\"\(String(format: "%.3f", time))\"" }
                guard testCase.problem != nil || testCase.output != nil else {
                    xml += "/>\n"
                    continue
                }
                xml += ">\n"
                if let problem = testCase.problem {
                    xml +=
                        "      <\(problem.kind) type=\"\(XMLText.escape(problem.type))\" "
                        + "message=\"\(XMLText.escape(XMLText.clip(problem.message, 500)))\">"
                        + XMLText.escape(XMLText.clip(problem.details)) + "</\(problem.kind)>\n"
                }
                if let output = testCase.output {
                    xml += "      <system-out>" + XMLText.escape(XMLText.clip(output)) + "</system-out>\n"
                }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }
}

extension RunReport {
    /// JUnit XML for CI test tabs: per suite, one test case per item (a failed check is a `failure` with its
    /// reason, an item without an answer an `error`) and one per gate; a last suite `plumb verdict` holds the run's
    /// verdict, failing when the run did not hold, so the tab and the exit code agree.
    public func renderJUnit() -> String {
        var document = JUnitDocument(name: "plumb \(runID)")
        for suite in suites {
            var cases: [JUnitDocument.Case] = []
            for item in items where item.suite == suite.name {
                var name = item.sampleID
                if let group = item.group { name += " [\(item.slot.map { "\($0)=" } ?? "")\(group)]" }
                if let rotation = item.optionRotation { name += " order \(rotation)" }
                if item.repeatIndex > 0 { name += " #\(item.repeatIndex + 1)" }
                var testCase = JUnitDocument.Case(
                    classname: suite.name,
                    name: name + " (\(item.id))",
                    time: item.latency
                )
                switch item.outcome {
                case .pass: break
                case .fail:
                    let failed = item.checks.filter { $0.outcome != .pass }
                    testCase.problem = (
                        "failure", "check",
                        failed.first.map { "\($0.name): \($0.reason)" } ?? "failed",
                        failed.map { "\($0.name) (\($0.type)): \($0.reason)" }.joined(separator: "\n")
                    )
                case .error:
                    let reason =
                        item.error.map { "\($0.code): \($0.message)" }
                        ?? item.checks.first { $0.outcome == .error }.map { "\($0.name): \($0.reason)" } ?? "error"
                    testCase.problem = ("error", item.error?.code ?? "check", reason, reason)
                }
                testCase.output = item.output
                cases.append(testCase)
            }
            for gate in suite.gates {
                var testCase = JUnitDocument.Case(classname: suite.name + ".gates", name: gate.gate)
                if !gate.passed {
                    testCase.problem = ("failure", "gate", gate.message, gate.gate + ": " + gate.message)
                }
                cases.append(testCase)
            }
            document.suites.append((suite.name, cases))
        }
        var verdictCase = JUnitDocument.Case(classname: "plumb", name: "verdict: \(headline)")
        if !verdict.isSuccess { verdictCase.problem = ("failure", verdict.name, headline, headline) }
        document.suites.append(("plumb verdict", [verdictCase]))
        return document.render()
    }
}

extension Comparison {
    /// JUnit XML: one test case per regression gate (failing when it failed) and per metric compared (never
    /// failing on its own: only gates decide, as in the exit code), with the numbers in `system-out`.
    public func renderJUnit() -> String {
        var document = JUnitDocument(name: "plumb compare \(baseline.label) → \(candidate.label)")
        var gateCases: [JUnitDocument.Case] = []
        for gate in gates {
            var testCase = JUnitDocument.Case(classname: "regression", name: Self.title(gate))
            if !gate.passed {
                testCase.problem = ("failure", "regression", gate.message, Self.title(gate) + ": " + gate.message)
            }
            testCase.output = gate.message
            gateCases.append(testCase)
        }
        document.suites.append(("regression gates", gateCases))
        for suite in suites {
            document.suites.append(
                (
                    suite.name,
                    suite.metrics.map { metric in
                        var testCase = JUnitDocument.Case(
                            classname: suite.name,
                            name: "\(metric.name): \(metric.change)"
                        )
                        testCase.output =
                            "baseline \(Self.value(metric.baseline)), candidate \(Self.value(metric.candidate)), "
                            + "difference \(Self.difference(metric.difference)), p \(Self.p(metric.pValue)) "
                            + "(\(metric.test)), Holm \(Self.p(metric.adjustedPValue))"
                        return testCase
                    }
                )
            )
        }
        return document.render()
    }
}
