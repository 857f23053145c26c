// plumb-fake-model: a tiny program that speaks Plumb's command protocol (Docs/command-protocol.md), for tests of
// CommandBackend and for trying the protocol by hand:
//
//     swift build --product plumb-fake-model
//     echo '{"id":"1","messages":[{"role":"user","content":"hi"}],"stop":[]}' | .build/debug/plumb-fake-model
//
// By default it answers "echo: <last user message>" with usage counts (words). Flags add faults; see `usage`.

import Foundation

let usage = """
    usage: plumb-fake-model [flags] [extra arguments, ignored]
      --delay-ms N               wait N ms before answering each request
      --out-of-order             buffer answers and write them in reversed pairs (the rest at end of input)
      --die-after N              after N answers, write a line to stderr and exit with status 3 instead of
                                 writing the next answer
      --crash-on-start           write "fatal: cannot load weights" to stderr and exit 1 at once
      --garbage-after N          after N answers, write a line that is not JSON instead of the next answer
      --error-on TEXT            answer prompts containing TEXT with {"error": …}
      --transient-error-on TEXT  the same, with "transient": true
      --stderr-lines N           write N numbered log lines to stderr at start
      --print-args               answer with the JSON array of its own arguments
      --print-env NAME           answer with the value of environment variable NAME
      --print-cwd                answer with its working directory
      --echo-request             answer with the request line exactly as it was received
      --stderr-env NAME          write the value of environment variable NAME to stderr at start
      --spew-bytes N             on the first request, write N bytes of '#' to stdout with no newline, then wait
    """

struct FakeModel {
    var delayMilliseconds = 0
    var outOfOrder = false
    var dieAfter: Int?
    var crashOnStart = false
    var garbageAfter: Int?
    var errorOn: String?
    var transientErrorOn: String?
    var stderrLines = 0
    var printArgs = false
    var printEnv: String?
    var printCwd = false
    var echoRequest = false
    var stderrEnv: String?
    var spewBytes: Int?

    var answersWritten = 0
    var garbageWritten = false
    var buffered: [String] = []
    let arguments: [String]

    init(arguments: [String]) {
        self.arguments = arguments
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number() -> Int {
            let text = value()
            guard let number = Int(text), number >= 0 else { fail("not a number: \(text)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--delay-ms": delayMilliseconds = number()
            case "--out-of-order": outOfOrder = true
            case "--die-after": dieAfter = number()
            case "--crash-on-start": crashOnStart = true
            case "--garbage-after": garbageAfter = number()
            case "--error-on": errorOn = value()
            case "--transient-error-on": transientErrorOn = value()
            case "--stderr-lines": stderrLines = number()
            case "--print-args": printArgs = true
            case "--print-env": printEnv = value()
            case "--print-cwd": printCwd = true
            case "--echo-request": echoRequest = true
            case "--stderr-env": stderrEnv = value()
            case "--spew-bytes": spewBytes = number()
            case "--help", "-h":
                print(usage)
                exit(0)
            default: break  // extra arguments (e.g. for --print-args) are ignored
            }
            index += 1
        }
    }

    mutating func run() {
        if let stderrEnv {
            writeError("fake-model: \(stderrEnv)=\(ProcessInfo.processInfo.environment[stderrEnv] ?? "<unset>")")
        }
        if crashOnStart {
            writeError("fatal: cannot load weights")
            exit(1)
        }
        for line in 0..<stderrLines { writeError("fake-model: log line \(line + 1)") }
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            if let spewBytes {
                // A progress bar on stdout: bytes and carriage returns, never a newline.
                let chunk = Data(repeating: UInt8(ascii: "#"), count: 65_536)
                var written = 0
                while written < spewBytes {
                    FileHandle.standardOutput.write(chunk.prefix(spewBytes - written))
                    written += min(chunk.count, spewBytes - written)
                }
                while true { sleep(1) }
            }
            if delayMilliseconds > 0 { usleep(UInt32(delayMilliseconds) * 1000) }
            let answer = answer(to: line)
            if outOfOrder {
                buffered.append(answer)
                if buffered.count == 2 {
                    for answer in buffered.reversed() { emit(answer) }
                    buffered = []
                }
            } else {
                emit(answer)
            }
        }
        for answer in buffered { emit(answer) }
        exit(0)
    }

    mutating func emit(_ answer: String) {
        if let dieAfter, answersWritten >= dieAfter {
            writeError("fake-model: dying after \(answersWritten) answers")
            exit(3)
        }
        if let garbageAfter, answersWritten >= garbageAfter, !garbageWritten {
            garbageWritten = true
            writeOutput("this is not JSON {")
            return
        }
        answersWritten += 1
        writeOutput(answer)
    }

    func answer(to line: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let id = object["id"] as? String
        else {
            writeError("fake-model: cannot read request: \(line)")
            return encode(["error": "cannot read request"])
        }
        let messages = object["messages"] as? [[String: Any]] ?? []
        let prompt = messages.last { $0["role"] as? String == "user" }?["content"] as? String ?? ""
        if let errorOn, prompt.contains(errorOn) {
            return encode(["id": id, "error": "refused: the prompt contains '\(errorOn)'"])
        }
        if let transientErrorOn, prompt.contains(transientErrorOn) {
            return encode(["id": id, "error": "overloaded, try again", "transient": true])
        }
        var text = "echo: \(prompt)"
        if printArgs {
            let data = try? JSONSerialization.data(withJSONObject: arguments, options: [.withoutEscapingSlashes])
            text = String(decoding: data ?? Data(), as: UTF8.self)
        } else if let printEnv {
            text = ProcessInfo.processInfo.environment[printEnv] ?? "<unset>"
        } else if printCwd {
            text = FileManager.default.currentDirectoryPath
        } else if echoRequest {
            text = line
        }
        let promptTokens = messages.reduce(0) { $0 + words(($1["content"] as? String) ?? "") }
        if let count = object["n"] as? Int {
            let choices = (1...max(count, 1)).map { index -> [String: Any] in
                ["text": "\(text) #\(index)", "finish_reason": "stop"]
            }
            let completion = choices.reduce(0) { $0 + words($1["text"] as? String ?? "") }
            return encode([
                "id": id, "choices": choices,
                "usage": ["prompt_tokens": promptTokens, "completion_tokens": completion],
            ])
        }
        return encode([
            "id": id, "text": text, "finish_reason": "stop",
            "usage": ["prompt_tokens": promptTokens, "completion_tokens": words(text)],
        ])
    }

    func words(_ text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).count
    }

    func encode(_ object: [String: Any]) -> String {
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
        return String(decoding: data ?? Data(), as: UTF8.self)
    }
}

func writeOutput(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func writeError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    writeError("plumb-fake-model: \(message)\n\(usage)")
    exit(2)
}

var model = FakeModel(arguments: Array(CommandLine.arguments.dropFirst()))
model.run()
