# Pexip Portal. `make run` serves the portal; `make test` runs every check CI runs.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
WASM := wasm32-unknown-unknown

.PHONY: setup run dev build release test fmt-check clippy unit e2e size fmt bench-bff bench-render

## Install what the build and the tests need (idempotent).
setup:
	@scripts/setup.sh

## Release build (wasm optimised with wasm-opt), then serve on 127.0.0.1:3000.
run: setup
	cargo leptos serve --release

## Watch mode: rebuild and reload on change.
dev: setup
	cargo leptos watch

build: setup
	cargo leptos build

release: setup
	cargo leptos build --release

## Every check: formatting, lints, unit and integration tests, browser tests.
test: setup fmt-check clippy unit e2e

fmt-check:
	cargo fmt --all --check

fmt:
	cargo fmt --all

# One feature set for the server side (lints and tests share the compiled dependencies) and one
# for the browser side.
SERVER_CRATES := -p app -p bff -p pexip -p server -p simulator
SERVER_FEATURES := --features app/ssr,bff/ssr,pexip/client

clippy:
	cargo clippy $(SERVER_CRATES) --all-targets $(SERVER_FEATURES) --locked -- -D warnings
	cargo clippy -p app -p bff -p pexip -p frontend --lib --features app/hydrate --target $(WASM) --locked -- -D warnings

unit:
	cargo test $(SERVER_CRATES) $(SERVER_FEATURES) --locked

e2e: build
	cd end2end && npx playwright test

## Release bundle sizes (raw, gzip, brotli).
size: release
	@bench/size.sh

## Throughput and p99 of a list through the BFF vs straight to the simulator, upstream
## connections per 1,000 proxied requests (release profile; README, Performance).
bench-bff:
	cargo bench -p server --bench bff_list --locked

## Server-side render time of the rooms list with 100 rows (release server, demo mode).
bench-render: release
	@bench/render.sh
