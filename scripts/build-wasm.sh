#!/usr/bin/env bash
# Trunk's post_build hook (see Trunk.toml): builds the UI's WebAssembly and
# splits it into the module the page loads first and chunks loaded on
# demand (the console), then runs wasm-bindgen on the first and wasm-opt on
# all. Trunk 0.21 cannot split a module itself (trunk-rs/trunk#1022): the
# split must happen before wasm-bindgen, between two steps of its pipeline.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
profile="${TRUNK_PROFILE:-debug}"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$ROOT"
# Only the lab's own page: the benchmark's bare page is built by Trunk alone.
if [ "${TRUNK_HTML_FILE:-$ROOT/index.html}" != "$ROOT/index.html" ]; then exit 0; fi
# Relocations let wasm-split-cli split the module; set here, not in
# .cargo/config.toml, so no other build carries them.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Clink-args=--emit-relocs"

flags=(-p ec2lab-ui --bin ec2lab-ui --target wasm32-unknown-unknown --features split --locked)
dir=debug
if [ "$profile" = release ]; then flags+=(--release); dir=release; fi
cargo build "${flags[@]}"

target="${CARGO_TARGET_DIR:-$ROOT/target}"
split="$target/split/$dir"
rm -rf "$split" && mkdir -p "$split"
wasm-split-cli "$target/wasm32-unknown-unknown/$dir/ec2lab-ui.wasm" "$split" --out-name ec2lab-ui
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$out" --out-name ec2lab-ui "$split/ec2lab-ui.wasm"
cp "$split/__wasm_split.js" "$out/"
# Split modules, and the chunks of code two of them share (chunk_N.wasm).
shopt -s nullglob
for chunk in "$split"/split_*.wasm "$split"/chunk_*.wasm; do cp "$chunk" "$out/"; done
if [ "$profile" = release ]; then
  features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types)
  for wasm in "$out"/*.wasm; do wasm-opt -Oz "${features[@]}" "$wasm" -o "$wasm"; done
fi
