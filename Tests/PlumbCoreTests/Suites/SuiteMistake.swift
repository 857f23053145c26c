import Foundation
import PlumbCore
import PlumbTestSupport
import Testing

/// One mistake made in an otherwise valid suite by replacing a piece of its text, and the message the loader must
/// give for it. Shared by the loader tests of each suite kind.
struct SuiteMistake: Sendable, CustomTestStringConvertible {
    var label: String
    var replace: (String, String)
    var message: String
    var testDescription: String { label }

    /// Loads `valid` with the replacement made; checks the replacement applied, the message is among the
    /// diagnostics and every diagnostic is located in the suite file. Returns the loaded suite, if any.
    func load(
        into valid: String,
        with loader: SuiteLoader,
        file: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        -> (suite: Suite?, diagnostics: [SuiteDiagnostic])
    {
        let text = valid.replacingOccurrences(of: replace.0, with: replace.1)
        #expect(text != valid, "the replacement applies", sourceLocation: sourceLocation)
        let directory = TemporaryDirectory()
        let path = directory.write(file, text)
        let (suite, diagnostics) = loader.loadSuite(at: path)
        #expect(
            diagnostics.contains { $0.message.contains(message) },
            "\(diagnostics.map(\.message))",
            sourceLocation: sourceLocation
        )
        #expect(
            diagnostics.allSatisfy { $0.location.file == path && $0.location.line >= 1 },
            sourceLocation: sourceLocation
        )
        return (suite, diagnostics)
    }
}
