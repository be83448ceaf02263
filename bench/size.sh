#!/usr/bin/env bash
# Size of the release bundle the browser downloads (raw / gzip -9 / brotli -q 11): the initial
# bundle (main wasm, its JavaScript, the split loader, CSS), then each lazy-loaded wasm chunk
# (`cargo leptos build --split`) and the total. Run after `make release` (or simply `make size`).
# File names may carry a content hash (`pexip-portal.<hash>.wasm`); they are matched by pattern.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=${SITE_PKG:-target/site/pkg}
command -v brotli >/dev/null || { echo "bench/size.sh needs brotli (apt-get install brotli)" >&2; exit 1; }
shopt -s nullglob
main_wasm=("$pkg"/pexip-portal*.wasm)
[ ${#main_wasm[@]} -ge 1 ] || { echo "no release bundle in $pkg: run make release" >&2; exit 1; }

row() { # label file -> prints a row, adds to the running totals
  local raw gz br
  raw=$(stat -c %s "$2")
  gz=$(gzip -9 -c "$2" | wc -c)
  br=$(brotli -q 11 -c "$2" | wc -c)
  printf '| %s | %s | %d | %d | %d |\n' "$1" "$(basename "$2")" "$raw" "$gz" "$br"
  tot_raw=$((tot_raw + raw)); tot_gz=$((tot_gz + gz)); tot_br=$((tot_br + br))
}
sum() { printf '| **%s** | | %d | %d | **%d** |\n' "$1" "$tot_raw" "$tot_gz" "$tot_br"; }

printf '| part | file | raw bytes | gzip -9 | brotli -q 11 |\n|---|---|---:|---:|---:|\n'
tot_raw=0 tot_gz=0 tot_br=0
initial=()
for f in "$pkg"/pexip-portal*.wasm "$pkg"/pexip-portal*.js "$pkg"/__wasm_split*.js "$pkg"/pexip-portal*.css; do
  case "$f" in *.br|*.gz) continue ;; esac
  initial+=("$f")
  row initial "$f"
done
sum "initial bundle"
init_raw=$tot_raw init_gz=$tot_gz init_br=$tot_br
init_wasm_br=$(brotli -q 11 -c "${main_wasm[0]}" | wc -c)

tot_raw=0 tot_gz=0 tot_br=0
largest=0
for f in "$pkg"/*.wasm; do
  case " ${initial[*]} " in *" $f "*) continue ;; esac
  row chunk "$f"
  br=$(brotli -q 11 -c "$f" | wc -c)
  [ "$br" -gt "$largest" ] && largest=$br
done
chunks_br=$tot_br
sum "lazy chunks"
tot_raw=$((tot_raw + init_raw)); tot_gz=$((tot_gz + init_gz)); tot_br=$((tot_br + init_br))
sum "total"
echo
echo "initial wasm: $init_wasm_br bytes brotli (goal <= 300 KB); largest chunk: $largest bytes brotli (goal <= 200 KB); chunks: $chunks_br bytes brotli in all"
