import Foundation
import PlumbRunner
import Synchronization

/// Progress on stderr: a redrawn line on a terminal; on a log, a plain line every 25% or 5 seconds.
final class ProgressPrinter: Sendable {
    struct State {
        var lastPrintedFraction = 0.0
        var lastPrintedAt = 0.0
        var drewLine = false
    }

    let console: Console
    let label: String
    let state = Mutex(State())

    init(console: Console, label: String) {
        self.console = console
        self.label = label
    }

    func update(_ progress: RunProgress) {
        let fraction = progress.total == 0 ? 1 : Double(progress.finished) / Double(progress.total)
        state.withLock { state in
            if console.errIsTerminal {
                // Redraw at most every 0.1 s: formatting a line per item would cost more than the item.
                guard progress.finished == progress.total || progress.elapsed - state.lastPrintedAt >= 0.1 else {
                    return
                }
                state.lastPrintedAt = progress.elapsed
                console.err("\r\u{1B}[2K" + line(progress, fraction))
                state.drewLine = true
            } else if progress.finished == progress.total || fraction - state.lastPrintedFraction >= 0.25
                || progress.elapsed - state.lastPrintedAt >= 5
            {
                console.err(line(progress, fraction) + "\n")
                state.lastPrintedFraction = fraction
                state.lastPrintedAt = progress.elapsed
            }
        }
    }

    func line(_ progress: RunProgress, _ fraction: Double) -> String {
        let rate = progress.elapsed > 0 ? Double(progress.finished) / progress.elapsed : 0
        var text = String(
            format: "%@ %d/%d (%.0f%%)  pass %d  fail %d  error %d  %.1f items/s",
            label,
            progress.finished,
            progress.total,
            fraction * 100,
            progress.passed,
            progress.failed,
            progress.errors,
            rate
        )
        if progress.retries > 0 { text += "  retries \(progress.retries)" }
        return text
    }

    func finish() {
        state.withLock { state in
            if state.drewLine { console.err("\n") }
            state.drewLine = false
        }
    }
}
