import Foundation
public import PlumbMetrics
import Synchronization

/// Where a command writes: results to stdout, diagnostics and progress to stderr.
/// Tests pass a capturing console; the executable uses `Console.standard`.
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    /// Whether stderr is a terminal (progress redraws one line) or a log (periodic plain lines).
    public var errIsTerminal: Bool

    public init(
        out: @escaping @Sendable (String) -> Void,
        err: @escaping @Sendable (String) -> Void,
        errIsTerminal: Bool
    ) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
    }

    public static var standard: Console {
        Console(
            // A reader that went away (`plumb … | head`) makes these writes fail with EPIPE (SIGPIPE is ignored,
            // see `PlumbCommand.run`): the output is dropped and the run still writes its report files.
            out: { text in try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) },
            err: { text in try? FileHandle.standardError.write(contentsOf: Data(text.utf8)) },
            errIsTerminal: isatty(2) == 1
        )
    }

    /// A console that keeps everything written, for tests.
    public static func capturing() -> (Console, CapturedOutput) {
        let captured = CapturedOutput()
        let console = Console(
            out: { text in captured.storage.withLock { $0.out += text } },
            err: { text in captured.storage.withLock { $0.err += text } },
            errIsTerminal: false
        )
        return (console, captured)
    }
}

/// What a capturing console received.
public final class CapturedOutput: Sendable {
    let storage = Mutex<(out: String, err: String)>(("", ""))
    public var out: String { storage.withLock { $0.out } }
    public var err: String { storage.withLock { $0.err } }
}

/// Exit codes: the contract with CI (DESIGN.md), mapped in one place.
public enum ExitCode {
    public static let success: Int32 = 0
    public static let gateFailed: Int32 = 1
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
    public static let unavailable: Int32 = 69
    public static let internalFault: Int32 = 70
    public static let cannotCreate: Int32 = 73
    public static let interrupted: Int32 = 130

    /// The exit code of a verdict — the only place that maps one to the other (DESIGN.md's contract with CI).
    public static func of(_ verdict: Verdict) -> Int32 {
        switch verdict {
        case .held: success
        case .gatesFailed: gateFailed
        case .incomplete, .aborted: unavailable
        case .interrupted: interrupted
        }
    }
}
