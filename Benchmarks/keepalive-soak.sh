#!/usr/bin/env bash
# Keep-alive soak: REQUESTS (default 10,000) items at concurrency 16 against a loopback server that answers in
# 0–20 ms and closes any connection idle for 5 ms without a word, as uvicorn, llama.cpp and load balancers do.
# Prints connections, requests, retries, errors and stalled requests (over 5 s); a stall is a failure. Run by hand,
# not in CI (CI runs 200 in the test suite):
#
#   bash Benchmarks/keepalive-soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests >/dev/null
PLUMB_SOAK_REQUESTS=${REQUESTS:-10000} swift test --skip-build --filter KeepAliveSoakTests 2>&1 \
    | grep -E "keep-alive soak|✔|✘" | grep -v "started"
