#!/usr/bin/env bash
# Load test of `dyad serve` on loopback: a synthetic store of N events (default 10,000,000), the
# server, and wrk at a fixed request rate against the events and series endpoints for a bounded
# time. Prints requests/s and latency percentiles (p50/p99) per endpoint.
#
#   scripts/loadtest.sh [EVENTS=10000000] [RATE=500] [SECONDS=30]
#
# Needs wrk (scripts/test-deps-web installs it). The store is kept in $DYAD_LOADTEST_DIR
# (default target/loadtest) and reused by later runs with the same N. The server runs with its
# response cache (repeated URLs are answered from memory until the store changes); set
# DYAD_LOADTEST_CACHE_MB=0 to measure every request's query instead. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-10000000}
RATE=${2:-500}
SECS=${3:-30}
DIR=${DYAD_LOADTEST_DIR:-target/loadtest}
PORT=${DYAD_LOADTEST_PORT:-18080}
TARGET=${CARGO_TARGET_DIR:-target}
command -v wrk >/dev/null || { echo "loadtest: wrk is missing (apt-get install wrk)"; exit 1; }
mkdir -p "$DIR"
DB="$DIR/store-$EVENTS.db"

cargo build --release -q -p dyad-cli
cargo build --release -q -p dyad-serve --example make_store
read -r A B < <("$TARGET/release/examples/make_store" "$DB" "$EVENTS")
echo "loadtest: store $DB, busiest dyad $A-$B"

CACHE_MB=${DYAD_LOADTEST_CACHE_MB:-64}
"$TARGET/release/dyad" serve --db "$DB" --addr "127.0.0.1:$PORT" --cache-mb "$CACHE_MB" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.2; done

# wrk -R (fixed rate) exists only in wrk2; Debian's wrk runs closed-loop. A Lua script paces
# each connection so that the whole run offers about RATE requests per second.
CONNS=50
LUA="$DIR/pace.lua"
cat > "$LUA" <<LUA
local paths = {}
local i = 0
function init(args) for _, p in ipairs(args) do paths[#paths + 1] = p end end
function delay() return math.floor(1000 * $CONNS / $RATE) end
function request() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

run() {
  local name=$1; shift
  local line
  line=$(wrk -t2 -c$CONNS -d"${SECS}s" --latency -s "$LUA" "http://127.0.0.1:$PORT" -- "$@" | grep '^RESULT')
  echo "$name: ${line#RESULT }"
}
echo "loadtest: $EVENTS events, offered ~$RATE req/s for ${SECS}s per endpoint, $CONNS connections, response cache ${CACHE_MB} MB"
run "events (first page)       " "/api/events?limit=50"
run "events (actor, paged)     " "/api/events?actor=$A&limit=50" "/api/events?actor=$A&limit=50&offset=50" "/api/events?actor=$B&limit=50&offset=100"
run "events (dyad + year)      " "/api/events?dyad=$A,$B&since=2021&until=2021&limit=50"
run "series (month)            " "/api/series?a=$A&b=$B&by=month"
run "series (day, one year)    " "/api/series?a=$A&b=$B&by=day&since=2021&until=2021"
run "series (day, all years)   " "/api/series?a=$A&b=$B&by=day"
