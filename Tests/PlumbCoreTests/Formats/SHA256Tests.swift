import PlumbCore
import Testing

@Suite("SHA256")
struct SHA256Tests {
    /// FIPS 180-4 / NIST CAVP example messages.
    @Test(
        "NIST test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                    + "mnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ]
    )
    func nistVectors(message: String, expected: String) {
        #expect(SHA256.hex(message) == expected)
        #expect(SHA256.hex(Array(message.utf8)) == expected)
        #expect(SHA256.hexString(SHA256.hash(Array(message.utf8))) == expected)
    }

    @Test("one million 'a'")
    func millionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == expected)

        var hasher = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(SHA256.hexString(hasher.finalize()) == expected)
    }

    /// Lengths around the padding boundaries (55/56 bytes leave no room for the length; 64 fills a block).
    @Test(
        "padding boundaries",
        arguments: [
            (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"),
            (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
            (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
            (128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
        ]
    )
    func paddingBoundaries(length: Int, expected: String) {
        #expect(SHA256.hex(String(repeating: "a", count: length)) == expected)
    }

    @Test(
        "incremental updates match one-shot hashing across chunk boundaries",
        arguments: [1, 3, 55, 56, 63, 64, 65, 100, 1000]
    )
    func incrementalMatchesOneShot(chunkSize: Int) {
        let message = (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for length in [0, 1, 55, 56, 64, 127, 128, 129, 500, 1024] {
            let prefix = Array(message[..<length])
            var hasher = SHA256()
            var offset = 0
            while offset < length {
                let next = min(offset + chunkSize, length)
                hasher.update(prefix[offset..<next])  // ArraySlice: the contiguous Sequence path
                offset = next
            }
            #expect(hasher.finalize() == SHA256.hash(prefix), "length \(length), chunk \(chunkSize)")
        }
    }

    @Test("all update paths agree")
    func updatePaths() {
        let bytes = (0..<1024).map { UInt8(truncatingIfNeeded: $0) }
        let expected = "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9"
        #expect(SHA256.hex(bytes) == expected)

        var lazySequence = SHA256()
        lazySequence.update((0..<1024).lazy.map { UInt8(truncatingIfNeeded: $0) })  // not contiguous
        #expect(SHA256.hexString(lazySequence.finalize()) == expected)

        var rawBuffer = SHA256()
        bytes.withUnsafeBytes { rawBuffer.update($0) }
        #expect(SHA256.hexString(rawBuffer.finalize()) == expected)

        var mixed = SHA256()
        mixed.update(bytes[0..<10])
        mixed.update(Array(bytes[10..<500]))
        bytes[500..<1000].withUnsafeBytes { mixed.update($0) }
        mixed.update(AnySequence(bytes[1000...]))
        #expect(SHA256.hexString(mixed.finalize()) == expected)
    }

    @Test("strings hash as UTF-8")
    func stringsAreUTF8() {
        let expected = "a53c56966616f0ec3ed9db7ea07a6034430149528bbaba8966c284f9373669c2"
        #expect(SHA256.hex("héllo 😀") == expected)
        #expect(SHA256.hex(Array("héllo 😀".utf8)) == expected)
        var hasher = SHA256()
        hasher.update("hé")
        hasher.update("llo 😀")
        #expect(SHA256.hexString(hasher.finalize()) == expected)
    }

    @Test("digest is 32 bytes and hex is lowercase")
    func digestShape() {
        let digest = SHA256.hash([1, 2, 3])
        #expect(digest.count == SHA256.digestLength)
        let hex = SHA256.hex([1, 2, 3])
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(SHA256.hexString([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
    }
}
