import Foundation

/// Threads for blocking work (socket I/O with `poll(2)`), so it never occupies Swift's cooperative pool or
/// Dispatch's, which on Linux has only about as many threads as cores and would make concurrent requests wait for
/// each other. A thread is started whenever more jobs wait than threads are idle, so every job starts at once;
/// threads idle for 30 s end.
// @unchecked: every stored property is read and written only while `condition` is locked.
final class BlockingThreadPool: @unchecked Sendable {
    static let shared = BlockingThreadPool()

    let condition = NSCondition()
    var jobs: [@Sendable () -> Void] = []
    var idle = 0
    var threads = 0

    func run(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        if jobs.count > idle {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = "plumb.http"
            thread.stackSize = 512 << 10
            thread.start()
        } else {
            condition.signal()
        }
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            if !jobs.isEmpty {
                let job = jobs.removeFirst()
                condition.unlock()
                job()
                condition.lock()
                continue
            }
            idle += 1
            let signalled = condition.wait(until: Date().addingTimeInterval(30))
            idle -= 1
            if !signalled && jobs.isEmpty {
                threads -= 1
                condition.unlock()
                return
            }
        }
    }
}
