#!/usr/bin/env bash
# How long a large run's HTML report takes to open in headless Chromium, side by side with the same report with
# every item laid out (what Plumb rendered before pages) and with an empty page (the browser's own start-up).
# Run by hand, not in CI:
#
#   bash Benchmarks/html-load.sh            # 10,000 items, 5 loads of each page; prints sizes and median times
#
# ITEMS and RUNS override the size and the repetitions; BROWSER the Chromium binary. Each load is one
# `chromium --headless --screenshot` of the file at 1280×900: it returns once the page has loaded, run its script
# and painted its first screen — when a user can read and use it. The empty page's median is subtracted to give
# the page's own cost. Results go into Docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${ITEMS:-10000}
RUNS=${RUNS:-5}
BROWSER=${BROWSER:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
swift build -c release --product plumb >/dev/null
PLUMB=$PWD/.build/release/plumb
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A suite of ITEMS samples answered by the built-in model; every tenth output fails its check.
for i in $(seq 0 $((ITEMS - 1))); do
    printf '{"id": "s%d", "q": "Question %d: what is %d plus one? Answer briefly and explain."}\n' "$i" "$i" "$i"
done > "$WORK/many.jsonl"
cat > "$WORK/many.suite.json5" <<'SUITE'
{ format: 1, name: "many", kind: "generation", samples: "many.jsonl", prompt: "{{q}}",
  checks: [{ type: "word-count", max: 1000 }] }
SUITE
"$PLUMB" run "$WORK/many.suite.json5" --model builtin --out "$WORK/run" --format none 2>/dev/null || true
"$PLUMB" report "$WORK/run/report.json" --format html --page-size 10000000 --out "$WORK/all.html"
printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>empty</title></head><body></body></html>\n' \
    > "$WORK/empty.html"

load() {   # median seconds of RUNS loads of $1
    local times=()
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s.%N)
        "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$WORK/profile" \
            --window-size=1280,900 --screenshot="$WORK/shot.png" "file://$1" > /dev/null 2>&1
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc -l)")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

empty=$(load "$WORK/empty.html")
paged=$(load "$WORK/run/report.html")
all=$(load "$WORK/all.html")
size() { echo "scale=1; $(stat -c %s "$1") / 1048576" | bc -l; }
printf 'items %d, %d loads each, median wall time of chromium --headless --screenshot (%d cores)\n' \
    "$ITEMS" "$RUNS" "$(nproc)"
printf '  empty page:                         %.2f s\n' "$empty"
printf '  report.html, 200 items laid out:    %.2f s (%.2f s over the empty page), %s MB\n' \
    "$paged" "$(echo "$paged - $empty" | bc -l)" "$(size "$WORK/run/report.html")"
printf '  every item laid out (before pages): %.2f s (%.2f s over the empty page), %s MB\n' \
    "$all" "$(echo "$all - $empty" | bc -l)" "$(size "$WORK/all.html")"
