#!/usr/bin/env bash
# Idempotent set-up of everything `make run` and `make test` need. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=0.2.130
SHARED_TOOLS="${SHARED_TOOLS:-../shared/tools}"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

say() { printf '[setup] %s\n' "$*"; }

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. cargo-leptos and wasm-bindgen-cli at the pinned versions: prebuilt copies from
#    $SHARED_TOOLS when they verify and match, otherwise `cargo install`.
have_version() { # cmd expected
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"
}
copy_prebuilt() { # name expected-version
  local name=$1 version=$2
  [ -x "$SHARED_TOOLS/$name" ] || return 1
  (cd "$SHARED_TOOLS" && grep " $name\$" SHA256SUMS | sha256sum -c --quiet -) >/dev/null 2>&1 || return 1
  "$SHARED_TOOLS/$name" --version 2>/dev/null | grep -q "$version" || return 1
  mkdir -p "$CARGO_BIN"
  install -m 0755 "$SHARED_TOOLS/$name" "$CARGO_BIN/$name"
  say "installed prebuilt $name $version from $SHARED_TOOLS"
}
# cargo-leptos 0.3.11's lock file needs a newer rustc than the project's 1.95 (its dependency
# cargo-util-schemas 0.14.2 requires 1.96). The project stays on the default toolchain; only this
# one build uses a toolchain that can, installed through rustup (minimal profile) when missing.
BUILD_TOOLCHAIN=1.96.0
toolchain_for_tools() { # prints a +toolchain argument for `cargo`, installing it when needed
  if rustc --version 2>/dev/null | awk '{split($2, v, "."); exit !(v[1] > 1 || v[2] >= 96)}'; then
    return 0 # the default rustc is new enough
  fi
  if ! rustup run "$BUILD_TOOLCHAIN" rustc --version >/dev/null 2>&1; then
    say "installing Rust $BUILD_TOOLCHAIN (minimal profile) through rustup, only to build cargo-leptos;" >&2
    say "  the project itself keeps building with $(rustc --version | cut -d' ' -f1-2)"  >&2
    rustup toolchain install "$BUILD_TOOLCHAIN" --profile minimal >&2
  fi
  echo "+$BUILD_TOOLCHAIN"
}
if ! have_version cargo-leptos "$CARGO_LEPTOS_VERSION"; then
  if ! copy_prebuilt cargo-leptos "$CARGO_LEPTOS_VERSION"; then
    toolchain=$(toolchain_for_tools)
    say "building cargo-leptos $CARGO_LEPTOS_VERSION with cargo ${toolchain:-(default toolchain)}" \
      "(no prebuilt copy in $SHARED_TOOLS; about 25 minutes on 2 cores)"
    # shellcheck disable=SC2086 # an empty $toolchain means the default toolchain
    cargo $toolchain install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked \
      --features no_downloads
    say "built cargo-leptos $("$CARGO_BIN/cargo-leptos" --version 2>/dev/null | cut -d' ' -f2)"
  fi
fi
if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  if ! copy_prebuilt wasm-bindgen "$WASM_BINDGEN_VERSION"; then
    say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION with the default toolchain (no prebuilt" \
      "copy in $SHARED_TOOLS; about 10 minutes on 2 cores)"
    CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback \
      cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
fi

# 3. npm packages from the committed lock file (tailwind CLI, binaryen's wasm-opt, Playwright).
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.setup-lock; then
  say "npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.setup-lock
fi

# 4. A browser for the end-to-end tests: Debian's chromium (Playwright never downloads one).
if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian chromium"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# 5. brotli, for the bundle size report (bench/size.sh).
if ! command -v brotli >/dev/null 2>&1; then
  say "installing Debian brotli"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq brotli >/dev/null ||
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq brotli >/dev/null; }
fi

# 6. OpenLDAP's slapd and ldap-utils, for the directory sign-in tests (scripts/ldap-test-server.sh
#    runs a throwaway server; nothing is started here).
if [ ! -x /usr/sbin/slapd ] || ! command -v ldapwhoami >/dev/null 2>&1; then
  say "installing Debian slapd and ldap-utils"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slapd ldap-utils >/dev/null ||
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slapd ldap-utils >/dev/null; }
fi

# 7. PostgreSQL and Redis on 127.0.0.1 for the scale-out tests (accounts, sessions). Machines of
#    this project start them at boot; start them here if they are down.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "starting PostgreSQL"
  cluster=$(ls /etc/postgresql 2>/dev/null | head -n 1)
  [ -n "$cluster" ] && pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || true
fi
if command -v pg_isready >/dev/null 2>&1; then
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "[setup] PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
fi
if command -v redis-cli >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
if command -v redis-cli >/dev/null 2>&1; then
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "[setup] Redis does not answer on 127.0.0.1:6379" >&2; exit 1; }
fi

say "ready"
