#!/usr/bin/env bash
# Runs EC2 Lab's whole test suite, installing whatever is missing first:
# formatting, clippy, native tests, a wasm32 build of the core, browser tests
# of the UI in headless Chromium, a release build of the site, and end-to-end
# tests driving Chromium against the built site. Fails on any failure and
# ends with the count of tests that ran.
source "$(dirname "$0")/lib.sh"

ensure_build_tools
ensure_chromium

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS" "$ROOT/artifacts"
passed=0
failed=0
broken=()

# Adds the counts from a cargo test log ("test result: ok. N passed; M failed").
count_cargo() {
  local p f
  p=$(grep -Eo '[0-9]+ passed' "$1" | awk '{s+=$1} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

step() { say "$1"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo clippy (wasm32: the UI and its browser tests)"
cargo clippy -p ec2lab-ui -p ec2lab-sim --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "Native tests of every crate"
cargo test --workspace --locked 2>&1 | tee "$LOGS/native.log" || broken+=("native tests")
count_cargo "$LOGS/native.log"

step "wasm32 build of the simulation core"
cargo build -p ec2lab-sim --target wasm32-unknown-unknown --locked

step "Browser tests of the UI (wasm-bindgen-test in headless Chromium)"
cargo test -p ec2lab-ui --target wasm32-unknown-unknown --locked 2>&1 | tee "$LOGS/browser.log" || broken+=("browser tests")
count_cargo "$LOGS/browser.log"

build_site dist

step "End-to-end tests (playwright-core driving Chromium against dist/)"
node --test --test-reporter=tap --test-concurrency=1 tests/e2e/ 2>&1 | tee "$LOGS/e2e.log" || broken+=("end-to-end tests")
e2e_pass=$(awk '/^# pass / {print $3}' "$LOGS/e2e.log" | tail -1)
e2e_fail=$(awk '/^# fail / {print $3}' "$LOGS/e2e.log" | tail -1)
passed=$((passed + ${e2e_pass:-0})); failed=$((failed + ${e2e_fail:-0}))

echo "Screenshots: $ROOT/artifacts/"
if [ "${#broken[@]}" -gt 0 ]; then
  echo "failed: ${broken[*]} (logs in $LOGS)" >&2
  [ "$failed" -gt 0 ] || failed=1
fi
echo "total: $passed passed, $failed failed"
[ "$failed" = 0 ]
