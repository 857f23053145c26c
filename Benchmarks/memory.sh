#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `plumb run` with the built-in model as the number of items grows:
# a generated suite of N one-question samples, run to a fresh directory, measured by GNU time. Run by hand, not in
# CI:
#
#   bash Benchmarks/memory.sh                 # 1,000, 10,000 and 100,000 items
#
# SIZES overrides the sizes ("1000 10000"). Results go into Docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 100000"}
swift build -c release --product plumb >/dev/null
PLUMB=$PWD/.build/release/plumb
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for n in $SIZES; do
    for i in $(seq 0 $((n - 1))); do
        printf '{"id": "s%d", "q": "Question %d: what is %d plus one?"}\n' "$i" "$i" "$i"
    done > "$WORK/m$n.jsonl"
    printf '{ format: 1, name: "m%d", kind: "generation", samples: "m%d.jsonl", prompt: "{{q}}",\n  checks: [{ type: "word-count", max: 12 }] }\n' \
        "$n" "$n" > "$WORK/m$n.suite.json5"
    /usr/bin/time -v "$PLUMB" run "$WORK/m$n.suite.json5" --model builtin --out "$WORK/r$n" --format none \
        2> "$WORK/time$n.txt" || true
    peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time$n.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time$n.txt")
    printf '%7d items: peak %4d MiB, %s wall, report.json %s\n' "$n" "$((peak / 1024))" "$wall" \
        "$(du -h "$WORK/r$n/report.json" | cut -f1)"
done
