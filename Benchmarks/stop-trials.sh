#!/usr/bin/env bash
# Stops `plumb run` against a faulty loopback HTTP server (50 ms answers, 30% malformed, concurrency 8) many times
# as a real child process, and checks that every stop ends with its exit code and report within seconds:
# TRIALS stops by SIGINT or SIGTERM (alternating, at points spread over the run) and TRIALS stops by an error
# budget that trips (--max-errors 1). Plumb 0.1 hung in about one stop in eight. Run by hand, not in CI (CI runs
# 4 of each in the test suite):
#
#   bash Benchmarks/stop-trials.sh            # 100 + 100 trials
#   TRIALS=20 bash Benchmarks/stop-trials.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests >/dev/null
PLUMB_STOP_TRIALS=${TRIALS:-100} swift test --skip-build --filter "HTTPStopTests/(aSignalAtAnyPoint|anErrorBudget)" 2>&1 \
    | grep -E "stop trials|✔|✘" | grep -v "started"
