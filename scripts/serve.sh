#!/usr/bin/env bash
# Serves EC2 Lab on http://127.0.0.1:8080 with the default lab loaded,
# installing whatever is missing first. Rebuilds on change (trunk serve).
source "$(dirname "$0")/lib.sh"
ensure_build_tools
say "Serving EC2 Lab on http://127.0.0.1:8080 (Ctrl+C stops)"
exec trunk serve --release --port 8080 --address 127.0.0.1 "$@"
