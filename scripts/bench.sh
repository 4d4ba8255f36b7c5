#!/usr/bin/env bash
# EC2 Lab's benchmark: builds the release site and a bare Yew page with the
# same profile, then prints page weight (raw, gzip, brotli) and time to
# diagram over fresh page loads in headless Chromium, against the bare page,
# and frame times while dragging a node, on a generated lab of 100 resources.
# Usage: scripts/bench.sh [loads]   (default 31)
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_chromium
build_site target/bench/lab
say "Building the bare Yew page into target/bench/bare/"
trunk build crates/ec2lab-bench-bare/index.html --release --dist target/bench/bare --public-url ./
say "Generating a lab of 100 resources"
cargo run -q --release -p ec2lab-ui --example big_lab -- 100 > target/bench/big-lab.txt
say "Measuring"
node tests/bench/bench.mjs target/bench/lab target/bench/bare target/bench/big-lab.txt "${1:-31}"
