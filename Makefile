# Pexip Portal. `make run` serves the portal; `make test` runs every check CI runs.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
WASM := wasm32-unknown-unknown

.PHONY: setup run dev build release test fmt-check clippy unit e2e size fmt fuzz bench-bff bench-render bench-sign-in bench-load bench-live bench-usage bench-tti

## Install what the build and the tests need (idempotent).
setup:
	@scripts/setup.sh

# Every build splits the wasm at the lazy routes (`--split`, app/src/routes.rs); release builds
# also write brotli and gzip copies of the bundle (`--precompress`) that the server sends by
# content negotiation (server/src/assets.rs).
LEPTOS_BUILD_FLAGS := --split
LEPTOS_RELEASE_FLAGS := --release --split --precompress

## Release build (wasm optimised with wasm-opt), then serve on 127.0.0.1:3000.
run: setup
	cargo leptos serve $(LEPTOS_RELEASE_FLAGS)

## Watch mode: rebuild and reload on change.
dev: setup
	cargo leptos watch $(LEPTOS_BUILD_FLAGS)

# cargo-leptos writes the bundle's hashes beside the binary, in the target folder, which several
# checkouts may share (CARGO_TARGET_DIR): a copy in this checkout's site root keeps the hashes
# with the bundle they name (the server takes the first hash file that matches its site).
LEPTOS_BUILD = cargo leptos build $(LEPTOS_BUILD_FLAGS) && cp "$(TARGET_DIR)/debug/hash.txt" target/site/hash.txt

build: setup
	$(LEPTOS_BUILD)

release: setup
	cargo leptos build $(LEPTOS_RELEASE_FLAGS)
	cp "$(TARGET_DIR)/release/hash.txt" target/site/hash.txt

## Every check: formatting, lints, the build (some integration tests serve the built bundle),
## unit and integration tests, browser tests.
test: setup fmt-check clippy build unit e2e

fmt-check:
	cargo fmt --all --check

fmt:
	cargo fmt --all

# One feature set for the server side (lints and tests share the compiled dependencies) and one
# for the browser side.
SERVER_CRATES := -p app -p bff -p pexip -p server -p simulator -p fuzz
SERVER_FEATURES := --features app/ssr,bff/ssr,pexip/client

clippy:
	cargo clippy $(SERVER_CRATES) --all-targets $(SERVER_FEATURES) --locked -- -D warnings
	cargo clippy -p app -p bff -p pexip -p frontend --lib --features app/hydrate --target $(WASM) --locked -- -D warnings

# The fuzz targets run from a fixed seed here (a new one per run in `make fuzz`).
unit:
	FUZZ_SEED=$${FUZZ_SEED:-1} cargo test $(SERVER_CRATES) $(SERVER_FEATURES) --locked

## Every fuzz target for FUZZ_SECONDS each (default 60; `make unit` runs them for 2 s each):
## what parses outside input must never panic (fuzz/, server/src/fuzz_targets.rs).
fuzz:
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} cargo test $(SERVER_CRATES) $(SERVER_FEATURES) --locked -- fuzz_ --nocapture --test-threads=1 2>&1 \
		| tee $(TARGET_DIR)/fuzz.log | grep -E '^fuzz |panicked'
	@sed -nE 's/^fuzz .*: ([0-9]+) executions.*/\1/p' $(TARGET_DIR)/fuzz.log \
		| awk '{ n += $$1; t++ } END { printf "%d targets, %d executions in all, no panic\n", t, n }'

# The build again: `cargo test` (unit) links `server` with the test feature set over the binary
# cargo-leptos built (which carries the bundle's output name); this links cargo-leptos's one back
# (nothing else is recompiled).
e2e: setup
	$(LEPTOS_BUILD)
	cd end2end && npx playwright test

## Release bundle sizes (raw, gzip, brotli): the initial bundle, each lazy-loaded chunk, the total.
size: release
	@bench/size.sh

## Throughput and p99 of a list through the BFF vs straight to the simulator, upstream
## connections per 1,000 proxied requests (release profile; README, Performance).
bench-bff:
	cargo bench -p server --bench bff_list --locked

## Sign-in time (p50/p99) of the local password, LDAP and OpenID Connect paths, and the rooms
## list while idle and during 50 concurrent LDAP sign-ins (release profile, loopback; README,
## Performance).
bench-sign-in:
	cargo bench -p server --bench sign_in --locked

## Upstream requests per minute with 1, 100 and 500 live viewers, memory per viewer, change to
## stream p50/p99, poller and event sinks (release profile; README, Performance).
bench-live:
	cargo bench -p server --bench live_feed --locked

## 200 people of all four roles on two instances (PostgreSQL, Redis) for 5 minutes while
## PostgreSQL and Redis restart, the simulator slows and fails and an instance is killed: p50/p99
## per endpoint, failures and recovery, memory, audit consistency (release profile; README,
## Performance). Restarts the machine's PostgreSQL and Redis: LOAD_CHAOS=sim,kill to leave them be.
bench-load:
	cargo bench -p server --bench load --locked

## Time to build a month's usage report over 50,000 stored conferences, SQLite and PostgreSQL,
## as an admin and as a tenant admin (release profile; README, Usage reports).
bench-usage:
	cargo bench -p bff --bench usage_report --features ssr --locked

## Time to interactive of /rooms for a signed-in end user in Chromium on "Fast 3G" with the CPU
## slowed 4x (release build; a measurement, not part of `make test`; README, Performance).
bench-tti: release
	@bench/tti.sh

## Server-side render time of the rooms list with 100 rows (release server, demo mode).
bench-render: release
	@bench/render.sh
