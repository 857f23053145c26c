#!/usr/bin/env bash
# The comparison of two 10,000-item runs: how long `plumb compare` takes, how large its page is, and how long
# headless Chromium takes to load it — beside an empty page in the same run (the browser's own start-up).
# Usage: bash Benchmarks/compare-html.sh [ITEMS]   (default 10000; needs chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-10000}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "needs chromium" >&2; exit 1; }
swift build -c release --product plumb >/dev/null
plumb=.build/release/plumb
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A suite of N samples whose check wants "ok"; two replays: the candidate fails 3% more (some flips each way).
{
  echo '{ name: "bench", kind: "generation", samples: "bench.jsonl", prompt: "{{q}}",'
  echo '  checks: [{ type: "contains", value: "ok" }], gates: [{ metric: "pass_rate", maxDrop: 0.02 }] }'
} > "$work/bench.suite.json5"
for i in $(seq 0 $((items - 1))); do echo "{\"id\": \"s$i\", \"q\": \"question $i\"}"; done > "$work/bench.jsonl"
for side in base cand; do
  for i in $(seq 0 $((items - 1))); do
    out=ok
    if [ "$side" = base ] && [ $((i % 20)) -eq 0 ]; then out="no, not this one: a longer answer of some words"; fi
    if [ "$side" = cand ] && [ $((i % 13)) -eq 0 ]; then out="no, not this one: a longer answer of some words"; fi
    echo "{\"suite\": \"bench\", \"sampleID\": \"s$i\", \"output\": \"$out\"}"
  done > "$work/$side.jsonl"
  "$plumb" run "$work/bench.suite.json5" --model "replay:$work/$side.jsonl" --out "$work/$side" --format none \
    >/dev/null 2>&1 || true
done
start=$(date +%s.%N)
"$plumb" compare "$work/base" "$work/cand" --out "$work/cmp" >/dev/null 2>&1 || true
end=$(date +%s.%N)
echo "plumb compare, $items items: $(echo "$end - $start" | bc) s"
echo "comparison.html: $(($(stat -c %s "$work/cmp/comparison.html") / 1024)) KiB"
echo '<html><body>empty</body></html>' > "$work/empty.html"
load() {
  local start end
  start=$(date +%s.%N)
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --dump-dom "file://$1" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
for round in 1 2 3; do
  echo "round $round: empty page $(load "$work/empty.html") s, comparison page $(load "$work/cmp/comparison.html") s"
done
