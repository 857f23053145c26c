public import PlumbCore

/// One classifier check's detection rate, observed and corrected for the classifier's errors, with the request
/// that asked for it (recorded so a merge or a comparison recomputes it the same way).
public struct CheckCorrection: Sendable, Hashable, Codable {
    public var check: String
    public var classifier: String?
    /// Sensitivity and specificity the suite gave (nil: the classifier's published ones were used).
    public var requestedSensitivity: Double?
    public var requestedSpecificity: Double?
    public var rate: CorrectedRate

    public init(
        check: String,
        classifier: String?,
        requestedSensitivity: Double? = nil,
        requestedSpecificity: Double? = nil,
        rate: CorrectedRate
    ) {
        self.check = check
        self.classifier = classifier
        self.requestedSensitivity = requestedSensitivity
        self.requestedSpecificity = requestedSpecificity
        self.rate = rate
    }

    /// The suite's request, as recorded.
    public var spec: CorrectionSpec {
        CorrectionSpec(check: check, sensitivity: requestedSensitivity, specificity: requestedSpecificity)
    }
}

/// Corrected detection rates (Rogan–Gladen) of classifier checks, from their typed observations.
public enum Corrections {
    /// The detection rate of each classifier check named in `specs` — the share of its non-error results whose
    /// observation says `detected` — corrected with Rogan–Gladen. Sensitivity and specificity come from the suite,
    /// else from the classifier's published figures (in the observations); without either the corrected rate is
    /// undefined and the note says why. A threshold other than the one the figures were measured at is noted too.
    /// Nil when `specs` is empty.
    public static func compute(_ specs: [CorrectionSpec], items: [ItemResult]) -> [CheckCorrection]? {
        guard !specs.isEmpty else { return nil }
        return specs.map { spec in
            let observations = items.compactMap { item in item.checks.first { $0.name == spec.check } }
                .filter { $0.outcome != .error }
                .compactMap(\.classifier)
            let detected = observations.filter(\.detected).count
            let observed = observations.isEmpty ? 0 : Double(detected) / Double(observations.count)
            let first = observations.first
            func correction(_ rate: CorrectedRate) -> CheckCorrection {
                CheckCorrection(
                    check: spec.check,
                    classifier: first?.classifier,
                    requestedSensitivity: spec.sensitivity,
                    requestedSpecificity: spec.specificity,
                    rate: rate
                )
            }
            guard let sensitivity = spec.sensitivity ?? first?.sensitivity,
                let specificity = spec.specificity ?? first?.specificity
            else {
                return correction(
                    CorrectedRate(
                        observed: observed,
                        total: observations.count,
                        corrected: nil,
                        sensitivity: spec.sensitivity,
                        specificity: spec.specificity,
                        note:
                            "undefined: the classifier publishes no sensitivity and specificity; give them in the suite"
                    )
                )
            }
            // The classifier's own figures hold only at the threshold they were measured at: at another one its
            // error rates differ and no correction is honest (a suite may give figures measured at its threshold).
            if spec.sensitivity == nil, let first, let measured = first.measuredAtThreshold,
                measured != first.threshold
            {
                return correction(
                    CorrectedRate(
                        observed: observed,
                        total: observations.count,
                        corrected: nil,
                        sensitivity: sensitivity,
                        specificity: specificity,
                        note: "undefined: the check's threshold \(NumberText.text(first.threshold)) differs from the "
                            + "\(NumberText.text(measured)) the classifier's sensitivity and specificity were measured "
                            + "at; give figures measured at this threshold in the suite"
                    )
                )
            }
            // The classifier's counts come with its figures; a suite's own figures come without counts.
            let published = spec.sensitivity == nil
            var rate = CorrectedRate.estimate(
                observed: observed,
                total: observations.count,
                sensitivity: sensitivity,
                specificity: specificity,
                positives: published ? first?.measuredPositives : nil,
                negatives: published ? first?.measuredNegatives : nil
            )
            if rate.corrected != nil {
                let source =
                    published
                    ? (first?.measuredOn).map { "\($0), the data the sensitivity and specificity were measured on" }
                        ?? "the data the classifier's sensitivity and specificity were measured on"
                    : "the data the suite's sensitivity and specificity were measured on"
                var error = "Se and Sp are taken as exact"
                if let positives = rate.positives, let negatives = rate.negatives {
                    error =
                        "the interval carries the sampling error of Se (\(positives) positives) and Sp "
                        + "(\(negatives) negatives)"
                }
                let note = "assumes the scored outputs resemble \(source); \(error)"
                rate.note = rate.note.map { $0 + "; " + note } ?? note
            }
            return correction(rate)
        }
    }
}
