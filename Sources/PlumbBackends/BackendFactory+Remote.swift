import Foundation
import PlumbCore

extension BackendFactory {
    static func makeRemote(_ spec: ModelSpec, environment: [String: String]) throws -> any ModelBackend {
        throw BackendError(.configuration, "model kind '\(spec.kind.rawValue)' is not available in this build")
    }
}
