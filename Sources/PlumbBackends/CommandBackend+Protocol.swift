import Foundation
import PlumbCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The JSON Lines protocol of `CommandBackend` (see `Docs/command-protocol.md`): request lines Plumb writes,
/// answer lines it reads.
enum CommandProtocol {
    /// One request as a line of compact JSON ending in a newline, fields in a fixed order.
    static func requestLine(id: String, request: ModelRequest, count: Int?, context: RequestContext) -> [UInt8] {
        var text = "{\"id\":" + quote(id)
        let messages = request.messages.map {
            "{\"role\":" + quote($0.role.rawValue) + ",\"content\":" + quote($0.content) + "}"
        }
        text += ",\"messages\":[" + messages.joined(separator: ",") + "]"
        if let maxTokens = request.maxTokens { text += ",\"max_tokens\":\(maxTokens)" }
        if let temperature = request.temperature { text += ",\"temperature\":" + number(temperature) }
        if let topP = request.topP { text += ",\"top_p\":" + number(topP) }
        if let seed = request.seed { text += ",\"seed\":\(seed)" }
        text += ",\"stop\":[" + request.stop.map(quote).joined(separator: ",") + "]"
        if let logprobs = request.logprobs { text += ",\"logprobs\":\(logprobs)" }
        if let count { text += ",\"n\":\(count)" }
        text += ",\"item\":{\"id\":" + quote(context.itemID) + ",\"suite\":" + quote(context.suiteName)
        text += ",\"sample\":" + quote(context.sampleID) + ",\"repeat\":\(context.repeatIndex)}}\n"
        return Array(text.utf8)
    }

    static func quote(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Turns an answer object into responses, or the error the program reported or its answer implies.
    static func decodeAnswer(
        _ fields: [String: JSONValue],
        count: Int?,
        latency: Double,
        program: String
    ) -> Result<[ModelResponse], any Error> {
        let id = fields["id"]?.stringValue ?? "?"
        func invalid(_ problem: String) -> Result<[ModelResponse], any Error> {
            .failure(BackendError(.invalidResponse, "command '\(program)': the answer to request \(id) \(problem)"))
        }
        if let error = fields["error"], error != .null {
            let message: String
            switch error {
            case .string(let text): message = text
            case .object(let members): message = members["message"]?.stringValue ?? error.description
            default: message = error.description
            }
            let transient = fields["transient"] == .bool(true)
            return .failure(
                BackendError(
                    transient ? .serverError : .badRequest,
                    "command '\(program)' answered request \(id) with an error: \(message)"
                )
            )
        }
        let topUsage: TokenUsage?
        switch usage(fields["usage"]) {
        case .success(let value): topUsage = value
        case .failure(let problem): return invalid(problem.text)
        }
        let expected = count ?? 1
        if case .array(let choices)? = fields["choices"] {
            guard choices.count == expected else {
                return invalid("has \(choices.count) choices; \(expected) were asked for")
            }
            var responses: [ModelResponse] = []
            for (index, choice) in choices.enumerated() {
                guard case .object(let members) = choice else { return invalid("has a choice that is not an object") }
                switch response(members, latency: latency) {
                case .success(var response):
                    if response.usage == nil, index == 0 { response.usage = topUsage }
                    responses.append(response)
                case .failure(let problem):
                    return invalid("has a choice that \(problem.text)")
                }
            }
            return .success(responses)
        }
        if fields["text"] != nil {
            guard expected == 1 else { return invalid("has a single \"text\"; \(expected) choices were asked for") }
            switch response(fields, latency: latency) {
            case .success(let response): return .success([response])
            case .failure(let problem): return invalid(problem.text)
            }
        }
        return invalid("has none of \"text\", \"choices\" or \"error\"")
    }

    struct Problem: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    private static func response(_ fields: [String: JSONValue], latency: Double) -> Result<ModelResponse, Problem> {
        guard case .string(let text)? = fields["text"] else { return .failure(Problem("has no string \"text\"")) }
        var response = ModelResponse(text: text, latency: latency)
        switch fields["finish_reason"] {
        case nil, .null?: break
        case .string(let reason)?: response.finishReason = reason
        default: return .failure(Problem("has a \"finish_reason\" that is not a string"))
        }
        switch usage(fields["usage"]) {
        case .success(let usage): response.usage = usage
        case .failure(let problem): return .failure(problem)
        }
        switch logprobs(fields["logprobs"]) {
        case .success(let logprobs): response.logprobs = logprobs
        case .failure(let problem): return .failure(problem)
        }
        return .success(response)
    }

    private static func usage(_ value: JSONValue?) -> Result<TokenUsage?, Problem> {
        guard let value, value != .null else { return .success(nil) }
        guard case .object(let members) = value,
            let prompt = integer(members["prompt_tokens"]),
            let completion = integer(members["completion_tokens"])
        else {
            return .failure(Problem("has a \"usage\" without integer \"prompt_tokens\" and \"completion_tokens\""))
        }
        return .success(TokenUsage(promptTokens: prompt, completionTokens: completion))
    }

    private static func logprobs(_ value: JSONValue?) -> Result<[TokenLogprob]?, Problem> {
        guard let value, value != .null else { return .success(nil) }
        let problem = Problem("has \"logprobs\" that are not a list of {\"token\", \"logprob\", \"top\"?}")
        guard case .array(let entries) = value else { return .failure(problem) }
        var tokens: [TokenLogprob] = []
        for entry in entries {
            guard case .object(let members) = entry, case .string(let token)? = members["token"],
                case .number(let logprob)? = members["logprob"]
            else { return .failure(problem) }
            var top: [TopLogprob] = []
            if case .array(let alternatives)? = members["top"] {
                for alternative in alternatives {
                    guard case .object(let fields) = alternative, case .string(let token)? = fields["token"],
                        case .number(let logprob)? = fields["logprob"]
                    else { return .failure(problem) }
                    top.append(TopLogprob(token: token, logprob: logprob))
                }
            } else if members["top"] != nil, members["top"] != .null {
                return .failure(problem)
            }
            tokens.append(TokenLogprob(token: token, logprob: logprob, top: top))
        }
        return .success(tokens)
    }

    private static func integer(_ value: JSONValue?) -> Int? {
        guard case .number(let number)? = value, number >= 0, number < 1e15, number.rounded() == number else {
            return nil
        }
        return Int(number)
    }

    /// The start of a line, for error messages.
    static func excerpt(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(200), as: UTF8.self)
        return line.count > 200 ? text + "…" : text
    }

    /// `; stderr: a | b` with the program's last standard-error lines, or nothing when it wrote none.
    static func stderrSuffix(_ tail: [String]) -> String {
        tail.isEmpty ? "" : "; stderr: " + tail.joined(separator: " | ")
    }

    static func describeExit(reason: Process.TerminationReason, status: Int32) -> String {
        switch reason {
        case .exit:
            return "exited with status \(status)"
        case .uncaughtSignal:
            let names: [Int32: String] = [
                SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGABRT: "SIGABRT",
                SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE",
                SIGTERM: "SIGTERM",
            ]
            return "was killed by signal \(status)" + (names[status].map { " (\($0))" } ?? "")
        }
    }
}

/// Splits a program's standard output into lines, bounded: a line longer than `maxLineBytes` (a progress bar
/// redrawn with carriage returns, binary output) is not kept whole — its first bytes are reported as `overlong` and
/// the rest is skipped up to the next newline, so memory stays bounded whatever the program writes.
struct LineSplitter {
    /// The longest line kept: 64 MiB, as for an HTTP answer (an answer with log-probabilities of thousands of
    /// tokens is several MiB).
    static let maxLineBytes = 64 << 20

    enum Piece: Equatable {
        case line([UInt8])
        /// A line longer than the limit: its first bytes, and how many bytes it had when it was cut.
        case overlong(prefix: [UInt8], bytes: Int)
    }

    private var buffer: [UInt8] = []
    /// Skipping the rest of an overlong line.
    private var skipping = false
    let limit: Int

    init(limit: Int = LineSplitter.maxLineBytes) { self.limit = limit }

    mutating func append(_ bytes: ArraySlice<UInt8>) -> [Piece] {
        var pieces: [Piece] = []
        var rest = bytes
        while !rest.isEmpty {
            if let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
                if skipping {
                    skipping = false
                } else {
                    buffer.append(contentsOf: rest[rest.startIndex..<newline])
                    if buffer.count > limit {
                        pieces.append(.overlong(prefix: Array(buffer.prefix(200)), bytes: buffer.count))
                    } else if let line = Self.trimmed(buffer[...]) {
                        pieces.append(.line(line))
                    }
                }
                buffer.removeAll(keepingCapacity: true)
                rest = rest[(newline + 1)...]
            } else {
                if !skipping {
                    buffer.append(contentsOf: rest)
                    if buffer.count > limit {
                        pieces.append(.overlong(prefix: Array(buffer.prefix(200)), bytes: buffer.count))
                        buffer = []
                        skipping = true
                    }
                }
                rest = []
            }
        }
        return pieces
    }

    /// What is left after the last newline, when the output ends without one.
    mutating func finish() -> [UInt8]? {
        defer { buffer = [] }
        return skipping ? nil : Self.trimmed(buffer[...])
    }

    private static func trimmed(_ line: ArraySlice<UInt8>) -> [UInt8]? {
        var line = line
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        let blank = line.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }
        return blank ? nil : Array(line)
    }
}

struct StderrTail {
    static let maxLines = 20
    static let maxBytes = 4096

    private(set) var lines: [String] = []
    private var partial: [UInt8] = []

    /// Adds output; returns the lines it completed.
    mutating func append(_ bytes: ArraySlice<UInt8>) -> [String] {
        var completed: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                completed.append(takePartial())
            } else if partial.count < Self.maxBytes {
                partial.append(byte)
            }
        }
        for line in completed { keep(line) }
        return completed
    }

    /// Keeps an unterminated last line.
    mutating func finish() -> String? {
        guard !partial.isEmpty else { return nil }
        let line = takePartial()
        keep(line)
        return line
    }

    private mutating func takePartial() -> String {
        if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
        defer { partial = [] }
        return String(decoding: partial, as: UTF8.self)
    }

    private mutating func keep(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        lines.append(line)
        while lines.count > Self.maxLines
            || (lines.count > 1 && lines.reduce(0, { $0 + $1.utf8.count }) > Self.maxBytes)
        {
            lines.removeFirst()
        }
    }
}
