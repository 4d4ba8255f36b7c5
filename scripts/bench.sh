#!/usr/bin/env bash
# EC2 Lab's benchmark: builds the release site and a bare Yew page with the
# same profile, then prints page weight (raw, gzip, brotli) and time to
# diagram over fresh page loads in headless Chromium, against the bare page.
# Usage: scripts/bench.sh [loads]   (default 31)
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_chromium
build_site target/bench/lab
say "Building the bare Yew page into target/bench/bare/"
trunk build crates/ec2lab-bench-bare/index.html --release --dist target/bench/bare --public-url ./
say "Measuring"
node tests/bench/bench.mjs target/bench/lab target/bench/bare "${1:-31}"
