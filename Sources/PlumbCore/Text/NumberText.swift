/// Numbers as people write them in messages and gate text: `1`, not `1.0`; `0.25`, not `0.25000000000000001`.
public enum NumberText {
    public static func text(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
