#!/usr/bin/env bash
# Server-side render time of the rooms list with 100 rows: starts the server binary in demo mode
# on a fresh data folder, signs in as admin, makes sure there are at least 100 rooms (creating
# `bench room N` through the rooms server function when needed), then requests
# `/rooms?size=100` REQUESTS times (after WARMUP unmeasured ones) and prints the median and
# spread of the full SSR response's wall time (curl), and of the server's own latency (its
# request log). Usage: bench/render.sh [server binary]  (default: the release build).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
server=${1:-$target_dir/release/server}
addr=${BENCH_ADDR:-127.0.0.1:3190}
requests=${REQUESTS:-50}
warmup=${WARMUP:-5}
password=bench-admin-password
[ -x "$server" ] || { echo "no server binary at $server: run make release (or pass one)" >&2; exit 1; }

work=$(mktemp -d)
log=$work/server.log
jar=$work/cookies
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

LEPTOS_SITE_ADDR=$addr LEPTOS_SITE_ROOT=$PWD/target/site PORTAL_DATA_DIR=$work/data \
  PORTAL_ADMIN_PASSWORD=$password RUST_LOG=info,tower_http=debug PORTAL_LOG__FORMAT=json \
  "$server" >"$log" 2>&1 &
pid=$!
base=http://$addr
curl -fs --retry 60 --retry-connrefused --retry-delay 1 -o /dev/null "$base/readyz" \
  || { echo "the server did not become ready; its log:" >&2; cat "$log" >&2; exit 1; }

curl -fsS -c "$jar" -o /dev/null -d username=admin -d "password=$password" -d next=/ "$base/api/auth/login"

count() {
  curl -fsS -b "$jar" -H 'content-type: application/json' \
    -d '{"query":{"limit":1,"offset":0}}' "$base/api/rooms/list" \
    | sed -E 's/.*"total_count":([0-9]+).*/\1/'
}
have=$(count)
for ((i = have + 1; i <= 100; i++)); do
  curl -fsS -b "$jar" -H 'content-type: application/json' -o /dev/null \
    -d "{\"fields\":{\"name\":\"bench room $i\",\"aliases\":[{\"alias\":\"bench-$i@example.com\"}]}}" \
    "$base/api/rooms/create"
done
rooms=$(count)

page=$base/rooms?size=100
rows=$(curl -fsS -b "$jar" "$page" | { grep -oE 'href="/rooms/[0-9]+"' || true; } | sort -u | wc -l)
for ((i = 0; i < warmup; i++)); do curl -fsS -b "$jar" -o /dev/null "$page"; done
: >"$work/wall"
mark=$(wc -l <"$log")
for ((i = 0; i < requests; i++)); do
  curl -fsS -b "$jar" -o /dev/null -w '%{time_total}\n' "$page" >>"$work/wall"
done

# Median, min and max of a column of numbers.
stats() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median %.1f ms (min %.1f, max %.1f, n=%d)\n", m, v[1], v[NR], NR }'
}
echo "rooms in the deployment: $rooms; room links on /rooms?size=100: $rows"
echo "full SSR response, wall time (curl): $(awk '{ print $1 * 1000 }' "$work/wall" | stats)"
# tower-http's "finished processing request" events of the measured page requests.
tail -n +"$((mark + 1))" "$log" | grep 'finished processing request' | grep '"uri":"/rooms?size=100"' \
  | sed -E 's/.*"latency":"([0-9.]+) ?(ms|µs|s)".*/\1 \2/' \
  | awk '{ v = $1; if ($2 == "µs") v /= 1000; if ($2 == "s") v *= 1000; print v }' >"$work/server" || true
echo "server latency (its request log): $(stats <"$work/server")"
echo "machine: $(nproc) cores; load: $(uptime | sed 's/.*load average/load average/')"
