#!/usr/bin/env bash
# Plumb's own overhead against a loopback OpenAI-compatible server (../shared/tools/stub_openai_server.py),
# the server the peer Python harnesses were measured against on this machine. Run by hand, not in CI:
#
#   bash Benchmarks/overhead.sh            # 1,000 and 10,000 items at concurrency 16, then 50 ms latency
#
# Prints, per case: wall time, samples/s, CPU ms per sample (user+sys), peak RSS; plus the bare URLSession
# client's requests/s on the same server, and Plumb's start-up time. Results go into Docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STUB=${STUB:-$ROOT/../shared/tools/stub_openai_server.py}
PORT=${PORT:-18931}
WORK=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 -c "import aiohttp" 2>/dev/null || pip install --quiet aiohttp
swift build -c release --product plumb >/dev/null
(cd Benchmarks/BareClient && swift build -c release >/dev/null)
PLUMB=$ROOT/.build/release/plumb
BARE=$ROOT/Benchmarks/BareClient/.build/release/BareClient

make_suite() { # N → $WORK/bench-N/bench.suite.json5 with N "What is A + B?" items and a numeric check
    local n=$1 dir=$WORK/bench-$1
    mkdir -p "$dir"
    awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "{\"id\": \"q%d\", \"a\": %d, \"b\": %d, \"sum\": %d}\n", i, i, 2*i, 3*i }' > "$dir/bench.jsonl"
    cat > "$dir/bench.suite.json5" <<SUITE
{ name: "bench", kind: "generation", samples: "bench.jsonl", prompt: "What is {{a}} + {{b}}?",
  generation: { maxTokens: 16 }, checks: [{ type: "numeric", value: "{{sum}}" }] }
SUITE
    echo "$dir/bench.suite.json5"
}

start_server() { # latency-ms
    [ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true
    python3 "$STUB" "$PORT" --latency-ms "$1" >/dev/null 2>&1 &
    SERVER=$!
    for _ in $(seq 50); do curl -s "http://127.0.0.1:$PORT/v1/models" >/dev/null && return; sleep 0.1; done
    echo "stub server did not start" >&2; exit 1
}

cat > "$WORK/plumb.json5" <<CONFIG
{ models: {
    keepalive: { type: "openai", model: "stub-model", baseURL: "http://127.0.0.1:$PORT/v1" },
    close: { type: "openai", model: "stub-model", baseURL: "http://127.0.0.1:$PORT/v1", keepAlive: false },
} }
CONFIG

measure() { # label suite concurrency model
    local label=$1 suite=$2 concurrency=$3 model=$4 out=$WORK/out-$RANDOM
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$PLUMB" run "$suite" --config "$WORK/plumb.json5" --model "$model" \
        --concurrency "$concurrency" --fixed-concurrency --no-cache --retries 0 --format none --out "$out" 2>/dev/null || true
    read -r wall user sys rss < "$WORK/time"
    local items
    items=$(python3 -c "import json,sys; r=json.load(open('$out/report.json')); print(len(r['items']), r['totals']['tally']['passed'], r['totals']['tally']['errors'])")
    set -- $items
    python3 - "$label" "$wall" "$user" "$sys" "$rss" "$1" "$2" "$3" <<'PY'
import sys
label, wall, user, sys_, rss, n, passed, errors = sys.argv[1:]
wall, user, sys_, rss, n = float(wall), float(user), float(sys_), int(rss), int(n)
print(f"{label:<28} items {n:>6}  passed {passed:>6}  errors {errors:>3}  wall {wall:6.2f} s  "
      f"{n / wall:8.0f} samples/s  CPU {1000 * (user + sys_) / n:6.3f} ms/sample  peak RSS {rss / 1024:6.1f} MiB")
PY
}

bare() { # N: the bare URLSession loop, with its CPU per request
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$BARE" "http://127.0.0.1:$PORT/v1/chat/completions" "$1" 16
    read -r wall user sys rss < "$WORK/time"
    python3 -c "print(f'{\"bare URLSession loop\":<28} CPU {1000 * ($user + $sys) / $1:6.3f} ms/request  peak RSS {$rss / 1024:6.1f} MiB')"
}

echo "== instant server"
start_server 0
for n in 1000 10000; do
    suite=$(make_suite $n)
    measure "plumb (default: keep-alive)" "$suite" 16 keepalive
    measure "plumb (keepAlive: false)" "$suite" 16 close
    bare "$n"
done

echo "== 50 ms server latency (ideal: 16 / 0.05 s = 320 samples/s)"
start_server 50
suite=$(make_suite 2000)
for round in 1 2 3; do
    measure "plumb (default: keep-alive)" "$suite" 16 keepalive
    bare 2000
done
measure "plumb (keepAlive: false)" "$suite" 16 close

echo "== start-up"
/usr/bin/time -f "plumb --version: %e s, %M KiB" "$PLUMB" --version
suite=$(make_suite 1000)
/usr/bin/time -f "plumb validate (1,000 samples): %e s, %M KiB" "$PLUMB" validate "$suite" >/dev/null
