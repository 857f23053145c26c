extension RefusalDetector {
    /// Trained on all 2,250 XSTest answers by `plumb classifier refusal --train` (3,000 full-batch gradient steps,
    /// learning rate 0.5, L2 0.1, from zero weights). Regenerate with that command after changing the cues, and
    /// bump `shippedVersion`.
    public static let shipped = RefusalDetector(
        weights: [
            0.505174, 0.523418, 1.177177, 0.784108, 2.371600, 0.710568, 1.203092, -0.124682, 1.518132, 0.507875,
            2.421565, 1.351003, 1.007582, -0.828004, -1.838084, -0.353082, 0.505174, 0.523418, 1.177177, 0.784108,
            0.336703, -0.673954, 0.689903, 0.317735, 1.529316, -0.159621,
        ],
        bias: -2.352035
    )
    public static let shippedVersion = "1"
    /// Recall (sensitivity) and specificity measured leaving one model out (Docs/classifiers.md), for corrected
    /// rates.
    public static let shippedRecall: Double? = 0.8689
    public static let shippedSpecificity: Double? = 0.9230
}
