# Shared set-up for EC2 Lab's scripts: installs what is missing, skips what is
# present at the right version, and says what to install when it cannot.
# Nothing here downloads from anywhere but the package registries (crates.io,
# npm, Debian's apt) and rustup's own target download.
# shellcheck shell=bash

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_command() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is missing. $2"
}

# The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust() {
  need_command cargo "Install Rust with rustup (https://rustup.rs), then run this again."
  need_command rustup "Install Rust with rustup (https://rustup.rs); the wasm32 target is added through it."
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown ||
      die "could not add the wasm32-unknown-unknown target. Run: rustup target add wasm32-unknown-unknown"
  fi
  local component
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      say "Adding the Rust component $component"
      rustup component add "$component" || die "could not add $component. Run: rustup component add $component"
    fi
  done
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then return; fi
  say "Installing trunk $TRUNK_VERSION from crates.io (about 15 minutes on 2 cores, once)"
  cargo install --locked "trunk@$TRUNK_VERSION" ||
    die "could not install trunk. Run: cargo install --locked trunk@$TRUNK_VERSION"
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version; run cargo generate-lockfile"
  if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $want" ] &&
     [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $want" ]; then
    return
  fi
  say "Installing wasm-bindgen-cli $want from crates.io (about 4 minutes, once)"
  # Not --locked: a dependency version in its lock file is gone from crates.io.
  cargo install wasm-bindgen-cli --version "$want" ||
    die "could not install wasm-bindgen-cli. Run: cargo install wasm-bindgen-cli --version $want"
}

# wasm-split-cli splits the UI's module so the console's engine loads on
# demand (scripts/build-wasm.sh).
WASM_SPLIT_VERSION="0.2.4"
ensure_wasm_split() {
  local stamp="$HOME/.cargo/.ec2lab-wasm-split-$WASM_SPLIT_VERSION"
  if [ -f "$stamp" ] && command -v wasm-split-cli >/dev/null 2>&1; then return; fi
  say "Installing wasm-split-cli $WASM_SPLIT_VERSION from crates.io (about a minute, once)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary ||
    die "could not install wasm-split-cli. Run: cargo install --locked wasm_split_cli_support --version $WASM_SPLIT_VERSION --features build-binary"
  touch "$stamp"
}

ensure_npm_packages() {
  need_command node "Install Node.js 20 or later (Debian: apt-get install nodejs npm)."
  need_command npm "Install npm (Debian: apt-get install npm)."
  local stamp="$ROOT/node_modules/.ec2lab-installed"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/package-lock.json" ] &&
     [ -x "$ROOT/node_modules/.bin/wasm-opt" ]; then
    return
  fi
  say "Installing npm packages (binaryen for wasm-opt, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error ||
    die "npm ci failed. Check that the npm registry is reachable, then run: npm ci"
  touch "$stamp"
}

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Chromium and ChromeDriver from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null ||
      die "apt-get could not install chromium and chromium-driver"
  else
    die "Chromium and ChromeDriver are missing. Install them (Debian: sudo apt-get install chromium chromium-driver)."
  fi
}

# Everything the site build needs.
ensure_build_tools() {
  ensure_rust
  ensure_wasm_bindgen
  ensure_trunk
  ensure_wasm_split
  ensure_npm_packages
}

# Builds the release site into $1 (default dist/), from index.html.
build_site() {
  local dist="${1:-dist}"
  say "Building the release site into $dist/"
  trunk build --release --dist "$dist" --public-url ./
}
