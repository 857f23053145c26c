// bare-client URL N CONCURRENCY: POSTs N chat completions to URL, CONCURRENCY at a time, and prints requests/s.
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

let arguments = CommandLine.arguments
guard arguments.count == 4, let url = URL(string: arguments[1]), let total = Int(arguments[2]),
    let concurrency = Int(arguments[3])
else {
    FileHandle.standardError.write(Data("usage: bare-client URL N CONCURRENCY\n".utf8))
    exit(64)
}

func request(_ index: Int) -> URLRequest {
    var request = URLRequest(url: url)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    let body: [String: Any] = [
        "model": "stub-model",
        "messages": [["role": "user", "content": "What is \(index) + \(index)?"]],
        "max_tokens": 16,
    ]
    request.httpBody = try! JSONSerialization.data(withJSONObject: body)
    return request
}

// A session sized to the concurrency (URLSession.shared allows only 6 connections per host on Linux).
let configuration = URLSessionConfiguration.default
configuration.httpMaximumConnectionsPerHost = concurrency
let session = URLSession(configuration: configuration)

let start = Date()
let failures = await withTaskGroup(of: Bool.self) { group in
    var next = 0
    var failures = 0
    for _ in 0..<min(concurrency, total) {
        let index = next
        next += 1
        group.addTask { (try? await session.data(for: request(index))) != nil }
    }
    while let ok = await group.next() {
        if !ok { failures += 1 }
        if next < total {
            let index = next
            next += 1
            group.addTask { (try? await session.data(for: request(index))) != nil }
        }
    }
    return failures
}
let elapsed = Date().timeIntervalSince(start)
print(String(format: "bare-client: %d requests, %d failed, %.2f s, %.0f requests/s", total, failures, elapsed, Double(total) / elapsed))
