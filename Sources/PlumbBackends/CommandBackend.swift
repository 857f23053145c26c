import Dispatch
import Foundation
public import PlumbCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `command`: a model that is any executable — typically a user's own script around a checkpoint — spoken to in
/// JSON Lines over its standard input and output. The protocol is described in `Docs/command-protocol.md`.
///
/// The program is started on the first request with an argument array (never through a shell) and kept running;
/// several requests may be in flight on it at once, and answers are matched to requests by id. When it exits, the
/// requests waiting on it fail with a transient `processFailed` error that quotes its exit status and the last
/// lines it wrote to standard error, and the next request starts it again. A program that keeps dying without
/// answering anything is given up on with a permanent error.
///
/// Call `shutdown()` when done; dropping the last reference also closes the program's input and stops it.
public final class CommandBackend: ModelBackend {
    /// Tuning that rarely needs changing.
    public struct Options: Sendable {
        /// Seconds to wait for one answer before failing it with a transient `timeout`; `nil` waits for ever.
        public var requestTimeout: Double?
        /// The program is given up on when it dies more than this many times within `crashWindow` seconds
        /// without answering anything in between.
        public var crashLimit: Int
        /// Seconds within which deaths count towards `crashLimit`.
        public var crashWindow: Double
        /// Seconds `shutdown()` lets the program finish after its input is closed, before it is terminated.
        public var shutdownGrace: Double
        /// Called (on a background thread) with each line the program writes to standard error.
        public var stderrLine: (@Sendable (String) -> Void)?

        public init(
            requestTimeout: Double? = nil,
            crashLimit: Int = 5,
            crashWindow: Double = 60,
            shutdownGrace: Double = 2,
            stderrLine: (@Sendable (String) -> Void)? = nil
        ) {
            self.requestTimeout = requestTimeout
            self.crashLimit = crashLimit
            self.crashWindow = crashWindow
            self.shutdownGrace = shutdownGrace
            self.stderrLine = stderrLine
        }
    }

    public let identity: BackendIdentity
    /// The program and its arguments, exactly as they are passed (the first element may be a bare name).
    public let command: [String]
    /// The program's resolved path.
    public let executablePath: String
    let core: CommandCore

    /// Several choices are asked for in one request (`n`); log-probabilities and seeds are passed on, but
    /// whether they are honoured depends on the program, so they are not claimed.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(chat: true, logProbabilities: false, seed: false, multipleChoices: true)
    }

    /// Prepares a backend; the program is started on the first request.
    ///
    /// - Parameters:
    ///   - name: the name reports show (the user's model spec); defaults to the command joined with spaces.
    ///   - command: the program and its arguments. A program name without `/` is looked up on `PATH` (the `PATH`
    ///     in `environment` when it sets one); a relative path is taken relative to the current directory.
    ///   - workingDirectory: the directory the program runs in; Plumb's current directory when `nil`.
    ///   - environment: variables added to (or replacing) Plumb's environment for the program. Never reported.
    /// - Throws: `BackendError` with code `.configuration` when the program cannot be found or is not
    ///   executable, or the working directory does not exist.
    public init(
        name: String? = nil,
        command: [String],
        workingDirectory: String? = nil,
        environment: [String: String] = [:],
        options: Options = Options()
    ) throws {
        guard let program = command.first, !program.isEmpty else {
            throw BackendError(.configuration, "command: no program given")
        }
        var directoryURL: URL?
        if let workingDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: workingDirectory, isDirectory: &isDirectory),
                isDirectory.boolValue
            else {
                throw BackendError(
                    .configuration,
                    "command '\(program)': working directory '\(workingDirectory)' does not exist"
                )
            }
            directoryURL = URL(fileURLWithPath: workingDirectory, isDirectory: true)
        }
        let searchPath = environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"]
        let executablePath = try Self.resolveExecutable(program, searchPath: searchPath)
        self.command = command
        self.executablePath = executablePath
        self.identity = BackendIdentity(
            kind: "command",
            name: name ?? command.joined(separator: " "),
            model: (program as NSString).lastPathComponent,
            settings: ["command": command.joined(separator: " ")]
        )
        var fullEnvironment: [String: String]?
        if !environment.isEmpty {
            fullEnvironment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        self.core = CommandCore(
            program: program,
            executable: URL(fileURLWithPath: executablePath),
            arguments: Array(command.dropFirst()),
            workingDirectory: directoryURL,
            environment: fullEnvironment,
            options: options
        )
    }

    deinit {
        core.abandon()
    }

    /// Finds `program` the way `execvp` does: a name with a `/` is a path, any other name is looked up in each
    /// directory of `searchPath` (an empty entry is the current directory).
    static func resolveExecutable(_ program: String, searchPath: String?) throws -> String {
        func isExecutableFile(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && access(path, X_OK) == 0
        }
        if program.contains("/") {
            let path =
                program.hasPrefix("/")
                ? program
                : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(program)
            if isExecutableFile(path) { return (path as NSString).standardizingPath }
            if FileManager.default.fileExists(atPath: path) {
                throw BackendError(.configuration, "command: program '\(program)' is not an executable file")
            }
            throw BackendError(.configuration, "command: program '\(program)' does not exist")
        }
        let directories = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(
            separator: ":",
            omittingEmptySubsequences: false
        )
        var foundButNotExecutable = false
        for directory in directories {
            let base = directory.isEmpty ? FileManager.default.currentDirectoryPath : String(directory)
            let candidate = (base as NSString).appendingPathComponent(program)
            if isExecutableFile(candidate) { return candidate }
            if FileManager.default.fileExists(atPath: candidate) { foundButNotExecutable = true }
        }
        if foundButNotExecutable {
            throw BackendError(.configuration, "command: program '\(program)' was found on PATH but is not executable")
        }
        throw BackendError(.configuration, "command: program '\(program)' was not found on PATH")
    }

    /// Sends the request and waits for its answer. A `text` answer is one response; `choices` must hold exactly one.
    public func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
        let responses = try await send(request, count: nil, in: context)
        return responses[0]
    }

    /// Sends the request once with `"n": count` and expects `choices` of exactly that length.
    public func complete(_ request: ModelRequest, count: Int, in context: RequestContext) async throws
        -> [ModelResponse]
    {
        guard count > 0 else { return [] }
        return try await send(request, count: count, in: context)
    }

    func send(_ request: ModelRequest, count: Int?, in context: RequestContext) async throws -> [ModelResponse] {
        let core = self.core
        let id = core.makeRequestID()
        let line = CommandProtocol.requestLine(id: id, request: request, count: count, context: context)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                core.submit(id: id, line: line, count: count, continuation: continuation)
            }
        } onCancel: {
            core.cancel(id: id)
        }
    }

    /// Closes the program's input, waits up to `options.shutdownGrace` seconds for it to exit, then terminates it
    /// (and kills it if it ignores that). Requests still waiting fail. A later request starts the program again.
    public func shutdown() async {
        await core.shutdown()
    }

    /// The process id of the running program, if one is running (for diagnostics and tests).
    public var processIdentifier: Int32? {
        core.state.withLock { $0.current?.pid }
    }
}

/// One started program: its process, its input pipe and the queue that writes to it.
final class CommandProcess: Sendable {
    let generation: Int
    let pid: Int32
    let process: Process
    /// The write end of the program's standard input; -1 once closed. Only touched on `writeQueue`.
    let input: Mutex<Int32>
    let writeQueue: DispatchQueue

    init(generation: Int, process: Process, input: Int32) {
        self.generation = generation
        self.process = process
        self.pid = process.processIdentifier
        self.input = Mutex(input)
        self.writeQueue = DispatchQueue(label: "plumb.command.stdin.\(generation)")
    }

    var isRunning: Bool { process.isRunning }

    /// Writes `bytes` in order with other writes; calls `failed` with the errno when the pipe is broken.
    func write(_ bytes: [UInt8], failed: @escaping @Sendable (Int32) -> Void) {
        writeQueue.async {
            let descriptor = self.input.withLock { $0 }
            guard descriptor >= 0 else { return failed(EPIPE) }
            if let error = writeWithoutSIGPIPE(descriptor, bytes) { failed(error) }
        }
    }

    /// Closes the program's standard input (end of requests), after any queued writes.
    func closeInput() {
        writeQueue.async {
            self.input.withLock { descriptor in
                if descriptor >= 0 { close(descriptor) }
                descriptor = -1
            }
        }
    }

    func send(signal: Int32) {
        if process.isRunning { kill(pid, signal) }
    }
}

/// Writes all of `bytes`, returning the errno on failure. SIGPIPE is blocked on this thread for the write and a
/// SIGPIPE the write raised is consumed, so a program that died makes the write fail with EPIPE instead of
/// killing Plumb. (On Darwin the pipe is marked `F_SETNOSIGPIPE` instead.)
func writeWithoutSIGPIPE(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
    #if canImport(Glibc)
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var pendingBefore = sigset_t()
        sigpending(&pendingBefore)
        let alreadyPending = sigismember(&pendingBefore, SIGPIPE) == 1
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }
    #endif
    var failure: Int32?
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            offset += written
        }
    }
    #if canImport(Glibc)
        if failure == EPIPE, !alreadyPending {
            var immediately = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &immediately) < 0, errno == EINTR {}
        }
    #endif
    return failure
}

/// Seconds since boot, for latencies and the crash window.
func monotonicSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// The shared state of a `CommandBackend`: the running program, the requests waiting for it, and crash history.
/// It outlives the backend while a program it started is still running, so the program can be stopped cleanly.
final class CommandCore: Sendable {
    struct Pending {
        var continuation: CheckedContinuation<[ModelResponse], any Error>
        var generation: Int
        var count: Int?
        var sentAt: Double
    }

    struct State {
        var current: CommandProcess?
        var currentAnswered = false
        var generation = 0
        var requestCounter = 0
        var pending: [String: Pending] = [:]
        /// Requests that were cancelled or timed out, by generation: their late answers are ignored.
        var abandoned: [String: Int] = [:]
        /// Generations Plumb stopped on purpose, and why.
        var stopReasons: [Int: String] = [:]
        /// Generations whose output is ignored (they broke the protocol and are being stopped).
        var discarding: Set<Int> = []
        var crashTimes: [Double] = []
        var crashLoop: BackendError?
    }

    let program: String
    let executable: URL
    let arguments: [String]
    let workingDirectory: URL?
    let environment: [String: String]?
    let options: CommandBackend.Options
    /// Values of the credentials in the program's environment: scrubbed from everything it says that Plumb quotes.
    let secrets: [String]
    let state = Mutex(State())

    init(
        program: String,
        executable: URL,
        arguments: [String],
        workingDirectory: URL?,
        environment: [String: String]?,
        options: CommandBackend.Options
    ) {
        self.program = program
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.options = options
        self.secrets = Redaction.secrets(in: environment ?? ProcessInfo.processInfo.environment)
    }

    /// `error` with every secret the program was handed removed from its message.
    func scrubbed(_ error: any Error) -> any Error {
        guard var backendError = error as? BackendError else { return error }
        backendError.message = Redaction.redact(backendError.message, secrets: secrets)
        return backendError
    }

    func makeRequestID() -> String {
        state.withLock { state in
            state.requestCounter += 1
            return "r\(state.requestCounter)"
        }
    }

    // MARK: Requests

    func submit(
        id: String,
        line: [UInt8],
        count: Int?,
        continuation: CheckedContinuation<[ModelResponse], any Error>
    ) {
        let outcome: Result<CommandProcess, any Error> = state.withLock { state in
            if Task.isCancelled { return .failure(CancellationError()) }
            if let crashLoop = state.crashLoop { return .failure(crashLoop) }
            let process: CommandProcess
            if let current = state.current {
                process = current
            } else {
                do {
                    process = try start(&state)
                } catch {
                    return .failure(error)
                }
            }
            state.pending[id] = Pending(
                continuation: continuation,
                generation: process.generation,
                count: count,
                sentAt: monotonicSeconds()
            )
            return .success(process)
        }
        switch outcome {
        case .failure(let error):
            continuation.resume(throwing: scrubbed(error))
        case .success(let process):
            process.write(line) { [self] error in
                writeFailed(process, error: error)
            }
            if let timeout = options.requestTimeout {
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
                    expire(id: id, after: timeout)
                }
            }
        }
    }

    func cancel(id: String) {
        abandon(id: id, with: CancellationError())
    }

    func expire(id: String, after seconds: Double) {
        let message = "command '\(program)' did not answer within \(Self.format(seconds)) s"
        abandon(id: id, with: BackendError(.timeout, message))
    }

    private func abandon(id: String, with error: any Error) {
        let pending: Pending? = state.withLock { state in
            guard let pending = state.pending.removeValue(forKey: id) else { return nil }
            state.abandoned[id] = pending.generation
            return pending
        }
        pending?.continuation.resume(throwing: scrubbed(error))
    }

    // MARK: Starting and stopping

    private func start(_ state: inout State) throws -> CommandProcess {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard Self.makePipe(&input), Self.makePipe(&output), Self.makePipe(&errors) else {
            let reason = String(cString: strerror(errno))
            for descriptor in input + output + errors where descriptor >= 0 { close(descriptor) }
            throw BackendError(.processFailed, "command '\(program)': cannot create pipes: \(reason)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        if let environment { process.environment = environment }
        process.standardInput = FileHandle(fileDescriptor: input[0], closeOnDealloc: false)
        process.standardOutput = FileHandle(fileDescriptor: output[1], closeOnDealloc: false)
        process.standardError = FileHandle(fileDescriptor: errors[1], closeOnDealloc: false)
        do {
            try process.run()
        } catch {
            for descriptor in input + output + errors { close(descriptor) }
            throw BackendError(
                .configuration,
                "command '\(program)': cannot start '\(executable.path)': \(error.localizedDescription)"
            )
        }
        close(input[0])
        close(output[1])
        close(errors[1])
        state.generation += 1
        state.currentAnswered = false
        let running = CommandProcess(generation: state.generation, process: process, input: input[1])
        state.current = running
        let outputDescriptor = output[0]
        let errorDescriptor = errors[0]
        Thread.detachNewThread { [self] in
            readLoop(running, output: outputDescriptor, errors: errorDescriptor)
        }
        return running
    }

    /// A pipe whose both ends are closed on exec, so other programs Plumb starts do not inherit them (the child's
    /// ends are duplicated onto its standard streams, which clears the flag there).
    private static func makePipe(_ descriptors: inout [Int32]) -> Bool {
        var pair: [Int32] = [-1, -1]
        guard pipe(&pair) == 0 else { return false }
        for descriptor in pair { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        #if canImport(Darwin)
            _ = fcntl(pair[1], F_SETNOSIGPIPE, 1)
        #endif
        descriptors = pair
        return true
    }

    /// Stops `process` on purpose: no more requests go to it, its input is closed, and it is terminated
    /// (then killed) if it does not exit.
    func stop(_ process: CommandProcess, reason: String, discardOutput: Bool, grace: Double = 0) {
        state.withLock { state in
            if state.current === process { state.current = nil }
            if state.stopReasons[process.generation] == nil { state.stopReasons[process.generation] = reason }
            if discardOutput { state.discarding.insert(process.generation) }
        }
        process.closeInput()
        Self.terminate(process, after: grace)
    }

    /// SIGTERM after `grace` seconds if still running, SIGKILL one second later if still running.
    static func terminate(_ process: CommandProcess, after grace: Double) {
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
            guard process.isRunning else { return }
            process.send(signal: SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + 1) {
                process.send(signal: SIGKILL)
            }
        }
    }

    func shutdown() async {
        let process: CommandProcess? = state.withLock { state in
            guard let process = state.current else { return nil }
            state.current = nil
            state.stopReasons[process.generation] = "shutdown"
            return process
        }
        guard let process else { return }
        process.closeInput()
        if await waitForExit(process, seconds: options.shutdownGrace) { return }
        process.send(signal: SIGTERM)
        if await waitForExit(process, seconds: 1) { return }
        process.send(signal: SIGKILL)
        _ = await waitForExit(process, seconds: 2)
    }

    private func waitForExit(_ process: CommandProcess, seconds: Double) async -> Bool {
        let deadline = monotonicSeconds() + seconds
        while process.isRunning {
            if monotonicSeconds() >= deadline || Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Called when the backend goes away: end the program's input and make sure it exits.
    func abandon() {
        let process: CommandProcess? = state.withLock { state in
            guard let process = state.current else { return nil }
            state.current = nil
            state.stopReasons[process.generation] = "the backend was released"
            return process
        }
        guard let process else { return }
        process.closeInput()
        Self.terminate(process, after: options.shutdownGrace)
    }

    // MARK: Events from the program

    private func writeFailed(_ process: CommandProcess, error: Int32) {
        // The program died (its exit fails the waiting requests) or closed its input while still running,
        // in which case it can never answer: give it a moment to exit by itself, then stop it.
        let reason = "writing to its standard input failed (\(String(cString: strerror(error))))"
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [self] in
            if process.isRunning { stop(process, reason: reason, discardOutput: false) }
        }
    }

    /// One line the program wrote to standard output (`overlongBytes`: the line was longer than Plumb reads, and
    /// `line` is its start).
    func handleLine(_ process: CommandProcess, _ line: [UInt8], stderrTail: [String], overlongBytes: Int? = nil) {
        let parsed: JSONValue?
        do {
            parsed = overlongBytes == nil ? try JSON5Parser.parse(line, json5: false).plain : nil
        } catch {
            parsed = nil
        }
        enum Action {
            case ignore
            case answer(Pending)
            case protocolError(String, [Pending])
        }
        let action: Action = state.withLock { state in
            if state.discarding.contains(process.generation) { return .ignore }
            var problem: String
            if case .object(let fields)? = parsed {
                if case .string(let id)? = fields["id"] {
                    if let pending = state.pending[id], pending.generation == process.generation {
                        state.pending[id] = nil
                        if state.current === process {
                            state.currentAnswered = true
                            state.crashTimes.removeAll()
                        }
                        return .answer(pending)
                    }
                    if state.abandoned[id] == process.generation {
                        state.abandoned[id] = nil
                        return .ignore
                    }
                    problem = "an answer for unknown request id '\(id)'"
                } else {
                    problem = "an answer without a string \"id\""
                }
            } else if let overlongBytes {
                problem =
                    "a line longer than \(LineSplitter.maxLineBytes) bytes (\(overlongBytes) bytes without a newline "
                    + "so far; is it writing progress or logs to standard output? they belong on standard error)"
            } else {
                problem = "a line that is not a JSON object"
            }
            problem += ": " + CommandProtocol.excerpt(line)
            var failing: [Pending] = []
            for (id, pending) in state.pending where pending.generation == process.generation {
                failing.append(pending)
                state.pending[id] = nil
            }
            if state.current === process { state.current = nil }
            state.stopReasons[process.generation] = "protocol error"
            state.discarding.insert(process.generation)
            return .protocolError(problem, failing)
        }
        switch action {
        case .ignore:
            return
        case .answer(let pending):
            guard case .object(let fields)? = parsed else { return }
            let latency = monotonicSeconds() - pending.sentAt
            let result = CommandProtocol.decodeAnswer(
                fields,
                count: pending.count,
                latency: latency,
                program: program
            )
            pending.continuation.resume(with: result.mapError { scrubbed($0) })
        case .protocolError(let problem, let failing):
            let message =
                "command '\(program)' wrote \(problem) (the program is restarted for the next request)"
                + CommandProtocol.stderrSuffix(stderrTail)
            for pending in failing {
                pending.continuation.resume(throwing: scrubbed(BackendError(.invalidResponse, message)))
            }
            process.closeInput()
            Self.terminate(process, after: 0)
        }
    }

    /// The program exited and everything it wrote has been read.
    func ended(_ process: CommandProcess, status: String, stderrTail: [String]) {
        let now = monotonicSeconds()
        let (failing, error): ([Pending], BackendError) = state.withLock { state in
            let wasCurrent = state.current === process
            if wasCurrent { state.current = nil }
            let stopReason = state.stopReasons.removeValue(forKey: process.generation)
            state.discarding.remove(process.generation)
            state.abandoned = state.abandoned.filter { $0.value != process.generation }
            var failing: [Pending] = []
            for (id, pending) in state.pending where pending.generation == process.generation {
                failing.append(pending)
                state.pending[id] = nil
            }
            if wasCurrent, !state.currentAnswered, stopReason == nil {
                state.crashTimes.append(now)
                state.crashTimes.removeAll { now - $0 > options.crashWindow }
                if state.crashTimes.count > options.crashLimit, state.crashLoop == nil {
                    state.crashLoop = BackendError(
                        .configuration,
                        "command '\(program)' keeps crashing: it stopped \(state.crashTimes.count) times within "
                            + "\(Self.format(options.crashWindow)) s without answering anything, so Plumb gave up "
                            + "(last time it \(status))" + CommandProtocol.stderrSuffix(stderrTail)
                    )
                }
            }
            if wasCurrent, let crashLoop = state.crashLoop { return (failing, crashLoop) }
            var message = "command '\(program)' \(status)"
            if let stopReason { message += " after Plumb stopped it (\(stopReason))" }
            let waiting = failing.count == 1 ? "1 request was" : "\(failing.count) requests were"
            message += " while \(waiting) waiting" + CommandProtocol.stderrSuffix(stderrTail)
            return (failing, BackendError(.processFailed, message))
        }
        for pending in failing { pending.continuation.resume(throwing: scrubbed(error)) }
    }

    /// Reads the program's standard output and standard error until it has exited and both are drained, then
    /// reports its exit. Runs on its own thread, one per started program.
    func readLoop(_ process: CommandProcess, output: Int32, errors: Int32) {
        var outputOpen = true
        var errorsOpen = true
        var exited = false
        var outputClosedAt: Double?
        var stopRequested = false
        var lines = LineSplitter()
        var tail = StderrTail()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            var descriptors: [pollfd] = []
            if outputOpen { descriptors.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if errorsOpen { descriptors.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            let ready: Int32
            if descriptors.isEmpty {
                if exited { break }
                usleep(50_000)
                ready = 0
            } else {
                ready = poll(&descriptors, nfds_t(descriptors.count), exited ? 0 : 100)
            }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 {
                if exited { break }
                if !process.isRunning {
                    // Everything it wrote is in the pipes now: drain them, then report.
                    exited = true
                    continue
                }
                if let closedAt = outputClosedAt, !stopRequested, monotonicSeconds() - closedAt > 2 {
                    stopRequested = true
                    stop(process, reason: "it closed its standard output", discardOutput: false)
                }
                continue
            }
            for descriptor in descriptors where descriptor.revents != 0 {
                let count = read(descriptor.fd, &chunk, chunk.count)
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 {
                    if descriptor.fd == output {
                        outputOpen = false
                        outputClosedAt = monotonicSeconds()
                    } else {
                        errorsOpen = false
                    }
                    continue
                }
                if descriptor.fd == output {
                    for piece in lines.append(chunk[0..<count]) {
                        switch piece {
                        case .line(let line):
                            handleLine(process, line, stderrTail: tail.lines)
                        case .overlong(let prefix, let bytes):
                            handleLine(process, prefix, stderrTail: tail.lines, overlongBytes: bytes)
                        }
                    }
                } else {
                    for line in tail.append(chunk[0..<count]) {
                        options.stderrLine?(Redaction.redact(line, secrets: secrets))
                    }
                }
            }
        }
        if let last = lines.finish() { handleLine(process, last, stderrTail: tail.lines) }
        if let last = tail.finish() { options.stderrLine?(Redaction.redact(last, secrets: secrets)) }
        process.process.waitUntilExit()
        close(output)
        close(errors)
        process.closeInput()
        let status = CommandProtocol.describeExit(
            reason: process.process.terminationReason,
            status: process.process.terminationStatus
        )
        ended(process, status: status, stderrTail: tail.lines)
    }

    static func format(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
    }
}
