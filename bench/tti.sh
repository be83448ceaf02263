#!/usr/bin/env bash
# Time to interactive of `/rooms` for a signed-in end user on a throttled phone (bench/tti.mjs):
# starts the server binary in demo mode on a fresh data folder, makes an end user (role `user`)
# owning three rooms, then measures RUNS cold loads (default 5).
# Usage: bench/tti.sh [server binary] [site root]  (default: the release build and target/site).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
server=${1:-$target_dir/release/server}
site=${2:-$PWD/target/site}
addr=${BENCH_ADDR:-127.0.0.1:3191}
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

LEPTOS_SITE_ADDR=$addr LEPTOS_SITE_ROOT=$site LEPTOS_OUTPUT_NAME=pexip-portal PORTAL_DATA_DIR=$work/data \
  PORTAL_ADMIN_PASSWORD=$password RUST_LOG=warn "$server" >"$log" 2>&1 &
pid=$!
base=http://$addr
curl -fs --retry 60 --retry-connrefused --retry-delay 1 -o /dev/null "$base/readyz" \
  || { echo "the server did not become ready; its log:" >&2; cat "$log" >&2; exit 1; }

curl -fsS -c "$jar" -o /dev/null -d username=admin -d "password=$password" -d next=/ "$base/api/auth/login"
user=phone-user
email=$user@example.com
curl -fsS -b "$jar" -o /dev/null -d "username=$user" -d "password=$user-password" -d role=user \
  -d tenant_id= -d "email=$email" "$base/api/users/create"
for i in 1 2 3; do
  curl -fsS -b "$jar" -H 'content-type: application/json' -o /dev/null \
    -d "{\"fields\":{\"name\":\"Phone room $i\",\"primary_owner_email_address\":\"$email\",\"aliases\":[{\"alias\":\"phone-$i@example.com\"}]}}" \
    "$base/api/rooms/create"
done

node bench/tti.mjs "$base" "$user" "$user-password" "${RUNS:-5}"
echo "machine: $(nproc) cores; load: $(uptime | sed 's/.*load average/load average/')"
