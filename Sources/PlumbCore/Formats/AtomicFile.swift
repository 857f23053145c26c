import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so a crash, a kill or a full disk never leaves a half-written one: the bytes go to a temporary file
/// beside the target, which is then renamed over it in one step (`rename(2)`), so a reader sees the old file or the
/// new one, never a part. The one writer every report, page and summary goes through.
public enum AtomicFile {
    /// Writes what `body` emits, a piece at a time, buffered, so memory never holds the whole text.
    public static func write(
        to path: String,
        _ body: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        do {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 18)
            try body { bytes in
                buffer.append(contentsOf: bytes)
                if buffer.count >= 1 << 18 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { emit in try data.withUnsafeBytes { try emit($0) } }
    }

    /// Writes a (large) string's UTF-8 bytes without first copying them into a `Data`.
    public static func write(_ text: String, to path: String) throws {
        var text = text
        try write(to: path) { emit in try text.withUTF8 { try emit(UnsafeRawBufferPointer($0)) } }
    }
}
