#!/usr/bin/env bash
# Where a page load's time goes: builds the release site, keeps the wasm's
# function names (a copy of dist/ in target/profile/), and samples fresh
# loads of the 100-resource lab with V8's CPU profiler (tests/bench/profile.mjs).
# Usage: scripts/profile.sh [loads]   (default 5)
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_chromium
build_site target/profile/site
say "Keeping function names"
out=target/profile/names
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$out" --out-name ec2lab-ui target/split/release/ec2lab-ui.wasm
rm -rf target/profile/named && cp -r target/profile/site target/profile/named
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types \
  "$out/ec2lab-ui_bg.wasm" -o target/profile/named/ec2lab-ui_bg.wasm
cargo run -q --release -p ec2lab-ui --example big_lab -- 100 > target/profile/big-lab.txt
node tests/bench/profile.mjs target/profile/named target/profile/big-lab.txt "${1:-5}"
