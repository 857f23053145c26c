import Foundation
import PlumbCore
import PlumbHTTP
import Testing

@testable import PlumbBackends

@Suite struct HTTPSupportTests {
    let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT

    @Test func retryAfterSecondsAndDates() {
        #expect(HTTPText.parseRetryAfter("120", now: now) == 120)
        #expect(HTTPText.parseRetryAfter(" 1.5 ", now: now) == 1.5)
        #expect(HTTPText.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(HTTPText.parseRetryAfter("Wednesday, 21-Oct-15 07:29:00 GMT", now: now) == 60)
        #expect(HTTPText.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == 0)
        #expect(HTTPText.parseRetryAfter("-3", now: now) == nil)
        #expect(HTTPText.parseRetryAfter("soon", now: now) == nil)
    }

    @Test func retryAfterHeaderPreference() {
        func lookup(_ headers: [String: String]) -> (String) -> String? {
            { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value }
        }
        #expect(HTTPText.retryAfter(lookup(["retry-after-ms": "250", "Retry-After": "3"])) == 0.25)
        #expect(HTTPText.retryAfter(lookup(["Retry-After": "3", "x-ratelimit-reset-requests": "9s"])) == 3)
        #expect(HTTPText.retryAfter(lookup(["x-ratelimit-reset-requests": "1m30s"])) == 90)
        #expect(HTTPText.retryAfter(lookup(["x-ratelimit-reset-tokens": "20ms"])) == 0.02)
        #expect(HTTPText.retryAfter(lookup(["Retry-After": "garbage"])) == nil)
        #expect(HTTPText.retryAfter(lookup([:])) == nil)
    }

    @Test func durations() {
        #expect(HTTPText.parseDuration("1s") == 1)
        #expect(HTTPText.parseDuration("6m0s") == 360)
        #expect(HTTPText.parseDuration("1h2m3.5s") == 3723.5)
        #expect(HTTPText.parseDuration("20ms") == 0.02)
        #expect(HTTPText.parseDuration("7") == 7)
        #expect(HTTPText.parseDuration("3 days") == nil)
        #expect(HTTPText.parseDuration("") == nil)
    }

    @Test func headerExpansion() throws {
        let environment = ["A": "alpha", "B_2": "beta", "EMPTY": ""]
        func expand(_ text: String) throws -> String {
            try HTTPSupport.expand(text, environment: environment) { BackendError(.configuration, "missing \($0)") }.0
        }
        #expect(try expand("x ${A} y ${B_2}") == "x alpha y beta")
        #expect(try expand("${A}${A}") == "alphaalpha")
        #expect(try expand("$A ${ not a name} ${1X} ${") == "$A ${ not a name} ${1X} ${")
        #expect(try expand("[${EMPTY}]") == "[]")
        let error = try #require(throws: BackendError.self) { try expand("${NOPE}") }
        #expect(error.message == "missing NOPE")
        let (_, used) = try HTTPSupport.expand("${A}-${B_2}-${EMPTY}", environment: environment) { _ in
            BackendError(.configuration, "")
        }
        #expect(used == ["alpha", "beta"])
        #expect(throws: BackendError.self) {
            try HTTPSupport.expandHeaders(["Bad Name": "x"], environment: [:], provider: "openai")
        }
    }

    @Test func redaction() {
        let secret = "sk-proj-abcdef123456"
        #expect(HTTPText.redact("key \(secret) was wrong", secrets: [secret]) == "key [redacted] was wrong")
        #expect(
            HTTPText.redact("Incorrect API key provided: sk-proj-********3456.", secrets: [secret])
                == "Incorrect API key provided: [redacted]"
        )
        #expect(HTTPText.redact("\"sk-proj-ab***\"", secrets: [secret]) == "\"[redacted]\"")
        #expect(HTTPText.redact("nothing here", secrets: [secret, "abc"]) == "nothing here")
    }

    @Test func serverMessages() {
        func message(_ text: String) -> String? { HTTPText.serverMessage(Data(text.utf8)) }
        #expect(
            message(#"{"error":{"message":"bad temp","type":"invalid_request_error"}}"#)
                == "invalid_request_error: bad temp"
        )
        #expect(
            message(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
                == "overloaded_error: Overloaded"
        )
        #expect(message(#"{"error":"model 'x' not found"}"#) == "model 'x' not found")
        #expect(message(#"{"message":"nope"}"#) == "nope")
        #expect(message(#"{"detail":[{"loc":["body"],"msg":"field required"}]}"#)?.contains("field required") == true)
        #expect(message("plain text failure") == "plain text failure")
        #expect(message("<html>oops</html>") == nil)
        #expect(message("") == nil)
    }

    @Test func clippingAndSplitting() {
        #expect(HTTPText.clip("a\nb\tc", 10) == "a b c")
        #expect(HTTPText.clip(String(repeating: "x", count: 20), 5) == "xxxxx…")
        #expect(HTTPSupport.split(7, into: 3) == [3, 2, 2])
        #expect(HTTPSupport.split(0, into: 2) == [0, 0])
        #expect(HTTPSupport.split(5, into: 0) == [])
    }

    @Test func displayURLDropsCredentialsAndQuery() {
        let url = URL(string: "https://me:pw@example.com:8443/v1?key=abc#frag")!
        #expect(HTTPText.displayURL(url) == "https://example.com:8443/v1")
    }
}
