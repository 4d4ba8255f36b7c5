#!/usr/bin/env bash
# Builds the release site for hosting into dist/ (or the folder given),
# installing whatever is missing first. The folder works from any sub-path.
source "$(dirname "$0")/lib.sh"
ensure_build_tools
build_site "${1:-dist}"
say "Built $(cd "${1:-dist}" && pwd): host this folder on any static web server"
