#!/usr/bin/env bash
# Scoring speed of Plumb's built-in toxicity classifier on one core: the Davidson tweets (24,783 texts, mean 85
# bytes) scored over and over by `plumb-dev bench` (one thread, release build, shipped model). Run by hand,
# not in CI:
#
#   bash Benchmarks/toxicity-speed.sh          # 7 runs of 3 s; prints each run, then the best and the median
#
# DATA=/path/to/shared/data/toxicity overrides the data directory; RUNS and SECONDS_PER_RUN the repetitions.
# The machine is shared: the best run is the least disturbed one; report it with the median. Results go into
# Docs/classifiers.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data/toxicity}
RUNS=${RUNS:-7}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}

swift build -c release --product plumb-dev >/dev/null
PLUMB=.build/release/plumb-dev
rates=()
for _ in $(seq "$RUNS"); do
    line=$("$PLUMB" bench --data "$DATA" --seconds "$SECONDS_PER_RUN")
    echo "$line"
    rates+=("$(sed -E 's/.*thread: ([0-9]+) texts\/s.*/\1/' <<<"$line")")
done
sorted=$(printf '%s\n' "${rates[@]}" | sort -n)
best=$(tail -1 <<<"$sorted")
median=$(sed -n "$(( (RUNS + 1) / 2 ))p" <<<"$sorted")
echo "best $best texts/s, median $median texts/s over $RUNS runs (one thread, $(nproc) cores on the machine)"
