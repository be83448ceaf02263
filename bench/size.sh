#!/usr/bin/env bash
# Size of the release bundle the browser downloads: wasm, js and css, raw / gzip -9 / brotli -q 11.
# Run after `cargo leptos build --release` (or simply `make size`).
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=target/site/pkg
command -v brotli >/dev/null || { echo "bench/size.sh needs brotli (apt-get install brotli)" >&2; exit 1; }
[ -f "$pkg/pexip-portal.wasm" ] || { echo "no release bundle in $pkg: run make release" >&2; exit 1; }
printf '| file | raw bytes | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n'
for f in pexip-portal.wasm pexip-portal.js pexip-portal.css; do
  raw=$(stat -c %s "$pkg/$f")
  gz=$(gzip -9 -c "$pkg/$f" | wc -c)
  br=$(brotli -q 11 -c "$pkg/$f" | wc -c)
  printf '| %s | %d | %d | %d |\n' "$f" "$raw" "$gz" "$br"
done
