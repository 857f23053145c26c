import Foundation
import PlumbCore

extension BackendFactory {
    static func makeRemote(_ spec: ModelSpec, environment: [String: String]) throws -> any ModelBackend {
        switch spec.kind {
        case .command:
            return try CommandBackend(
                name: spec.name,
                command: spec.command,
                options: CommandBackend.Options(requestTimeout: nil)
            )
        default:
            throw BackendError(.configuration, "model kind '\(spec.kind.rawValue)' is not available in this build")
        }
    }
}

extension CommandBackend: ClosableBackend {
    public func close() async { await shutdown() }
}
