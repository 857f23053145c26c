import PlumbCore
import PlumbMetrics

extension RunReport {
    /// Brings a version-1 report to the current schema, so every command reads it as it reads a new one.
    ///
    /// Version 1 carried a classifier check's observation as text in the check's `metadata` (`detected`,
    /// `threshold`, `sensitivity`, `specificity`, `measuredAtThreshold`); this is the one place that text is read,
    /// once, into a typed `ClassifierObservation`. A version-1 correction recorded the sensitivity and specificity
    /// it used, not whether the suite gave them; they are kept as the suite's request, which reproduces the same
    /// numbers. Version 1 recorded no error budget: the verdict treats any error as beyond it, as 0.1's
    /// `plumb run` without `--max-errors` did.
    mutating func migrateFromVersion1() {
        schemaVersion = RunReport.currentSchemaVersion
        let observationKeys = [
            "classifier", "classifierVersion", "label", "detected", "threshold", "sensitivity",
            "specificity", "measuredAtThreshold",
        ]
        for itemIndex in items.indices {
            for checkIndex in items[itemIndex].checks.indices {
                var record = items[itemIndex].checks[checkIndex]
                let metadata = record.metadata
                guard record.classifier == nil, let detected = metadata["detected"],
                    let threshold = metadata["threshold"].flatMap(Double.init), let score = record.score
                else { continue }
                record.classifier = ClassifierObservation(
                    classifier: metadata["classifier"] ?? record.type,
                    version: metadata["classifierVersion"] ?? "",
                    label: metadata["label"] ?? "",
                    score: score,
                    threshold: threshold,
                    detected: detected == "true",
                    sensitivity: metadata["sensitivity"].flatMap(Double.init),
                    specificity: metadata["specificity"].flatMap(Double.init),
                    measuredAtThreshold: metadata["measuredAtThreshold"].flatMap(Double.init)
                )
                for key in observationKeys { record.metadata[key] = nil }
                items[itemIndex].checks[checkIndex] = record
            }
        }
        for suiteIndex in suites.indices {
            guard var corrections = suites[suiteIndex].corrections else { continue }
            for index in corrections.indices {
                corrections[index].requestedSensitivity = corrections[index].rate.sensitivity
                corrections[index].requestedSpecificity = corrections[index].rate.specificity
            }
            suites[suiteIndex].corrections = corrections
        }
    }
}
