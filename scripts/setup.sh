#!/usr/bin/env bash
# First run on a fresh machine: install what is missing, build, and generate a small dataset into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
./roadsynth generate --count 8 --out out "$@"
