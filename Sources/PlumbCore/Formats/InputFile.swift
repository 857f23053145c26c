import Foundation

/// Why an input file could not be read; `message` names the path.
public struct InputFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The file is larger than the limit (the rest are: missing, a directory, not a regular file, unreadable).
    public var isTooLarge: Bool = false
    public var description: String { message }
}

/// Reads the input files a user names (suites, samples, dataset files) whole, after checking they are regular
/// files no larger than a limit: a FIFO or a device would block or never end, a directory is a mistake, and a huge
/// file must be refused before it is read into memory.
public enum InputFile {
    public static func read(_ path: String, limit: Int) throws(InputFileError) -> [UInt8] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputFileError(message: "no such file '\(path)'")
        }
        if isDirectory.boolValue { throw InputFileError(message: "'\(path)' is a directory, not a file") }
        let attributes = try? manager.attributesOfItem(atPath: path)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular, type != .typeSymbolicLink {
            let kind: String
            switch type {
            case .typeCharacterSpecial, .typeBlockSpecial: kind = "a device"
            case .typeSocket: kind = "a socket"
            default: kind = type.rawValue == "NSFileTypeUnknown" ? "not a file" : "a pipe (FIFO)"
            }
            throw InputFileError(
                message: "'\(path)' is not a regular file (it is \(kind)); samples and suites are read from files"
            )
        }
        if let size = attributes?[.size] as? Int, size > limit {
            throw InputFileError(message: "'\(path)' is \(size) bytes; the limit is \(limit)", isTooLarge: true)
        }
        guard let data = manager.contents(atPath: path) else {
            throw InputFileError(message: "cannot read '\(path)' (check its permissions)")
        }
        return [UInt8](data)
    }
}
